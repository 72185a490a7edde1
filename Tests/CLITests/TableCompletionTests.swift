import CLI
import XCTest

/// Completion of cachectl's real table where values are fixed sets of words: the
/// `completion` command's SHELL and `bench -t`'s comma-separated tests.
final class TableCompletionTests: XCTestCase {
    func testBashCompletesFixedArgumentsAndLists() throws {
        guard let bashPath = ShellRunner.find("bash") else { throw XCTSkip("bash is not installed") }
        let file = try ShellRunner.temporaryFile(CompletionGenerator.bash(ProgramTable.spec), name: "cachectl.bash")
        func complete(_ line: [String]) throws -> [String] {
            let result = try ShellRunner.bashCompletions(bashPath, scriptFile: file, line)
            XCTAssertEqual(result.stderr, "", line.joined(separator: " "))
            return result.words
        }
        XCTAssertEqual(try complete(["cachectl", "completion", ""]), ["bash", "zsh", "fish"])
        XCTAssertEqual(try complete(["cachectl", "completion", "z"]), ["zsh"])
        XCTAssertEqual(try complete(["cachectl", "bench", "-t", "g"]), ["get", "getorset"])
        XCTAssertEqual(try complete(["cachectl", "bench", "-t", "get,se"]), ["get,set"])
        XCTAssertEqual(try complete(["cachectl", "invalidate", "-"]).contains("-y"), true)
    }

    func testFishCompletesFixedArguments() throws {
        guard let fishPath = ShellRunner.find("fish") else { throw XCTSkip("fish is not installed") }
        let file = try ShellRunner.temporaryFile(CompletionGenerator.fish(ProgramTable.spec), name: "cachectl.fish")
        func complete(_ line: String) throws -> [String] {
            let result = try ShellRunner.run(fishPath, ["--no-config", "-c", "source \(file); complete -C '\(line)'"])
            XCTAssertEqual(result.stderr, "", line)
            return result.stdout.split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        }
        XCTAssertEqual(try complete("cachectl completion "), ["bash", "fish", "zsh"])
        XCTAssertEqual(try complete("cachectl bench -t get,se"), ["get,set"])
    }
}
