import CLI
import XCTest

final class CompletionGeneratorTests: XCTestCase {
    let bash = CompletionGenerator.bash(Sample.spec)
    let zsh = CompletionGenerator.zsh(Sample.spec)
    let fish = CompletionGenerator.fish(Sample.spec)

    func testScriptsMentionEveryCommandAndOption() {
        for script in [bash, zsh, fish] {
            for (path, command) in Sample.spec.allCommands {
                XCTAssertTrue(script.contains(path.last!), "\(path)")
                for option in command.options { XCTAssertTrue(script.contains(option.long), option.long) }
            }
            for option in Sample.spec.globalOptions { XCTAssertTrue(script.contains(option.long), option.long) }
            XCTAssertTrue(script.contains("zset"), "choice values")
        }
        XCTAssertTrue(bash.hasSuffix("complete -F _cachectl cachectl\n"))
        XCTAssertTrue(zsh.hasPrefix("#compdef cachectl\n"))
        XCTAssertTrue(fish.contains("complete -c cachectl -n '__cachectl_at \\'lock acquire\\'' -s 't' -l 'ttl' -x -d 'Lock lifetime'\n"))
        XCTAssertTrue(fish.contains("-l 'cacert' -r -F"))
    }

    func testBashSyntax() throws { try check("bash", ["-n"], bash, name: "cachectl.bash") }
    func testZshSyntax() throws { try check("zsh", ["-n"], zsh, name: "_cachectl") }
    func testFishSyntax() throws { try check("fish", ["--no-execute"], fish, name: "cachectl.fish") }

    private func check(_ shell: String, _ flags: [String], _ script: String, name: String) throws {
        guard let path = ShellRunner.find(shell) else { throw XCTSkip("\(shell) is not installed") }
        let file = try ShellRunner.temporaryFile(script, name: name)
        let result = try ShellRunner.run(path, flags + [file])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
    }

    /// Drives the bash completion function the way bash does and checks what it offers.
    func testBashCompletesCommandsOptionsAndValues() throws {
        guard let bashPath = ShellRunner.find("bash") else { throw XCTSkip("bash is not installed") }
        let file = try ShellRunner.temporaryFile(bash, name: "cachectl.bash")
        func complete(_ line: [String]) throws -> [String] {
            let result = try ShellRunner.bashCompletions(bashPath, scriptFile: file, line)
            XCTAssertEqual(result.stderr, "", line.joined(separator: " "))
            return result.words
        }
        XCTAssertEqual(try complete(["cachectl", ""]), ["health", "keys", "lock", "invalidate", "bench", "help"])
        XCTAssertEqual(try complete(["cachectl", "lo"]), ["lock"])
        XCTAssertEqual(try complete(["cachectl", "-p", "6380", "lock", ""]), ["acquire", "release", "run"])
        XCTAssertEqual(try complete(["cachectl", "lock", "acquire", "--t"]), ["--ttl", "--timeout", "--trace"], "hidden options are still completed")
        XCTAssertEqual(try complete(["cachectl", "keys", "list", "--type", "s"]), ["string", "set"])
        XCTAssertEqual(try complete(["cachectl", "help", "lock", "r"]), ["release", "run"])
        XCTAssertEqual(try complete(["cachectl", "--ver"]), ["--verbose", "--version"])
        XCTAssertEqual(try complete(["cachectl", "health", "--ver"]), ["--verbose"])
        XCTAssertEqual(try complete(["cachectl", "bench", "-n", "5", "--p"]), ["--pipeline", "--port", "--prefix"])
        XCTAssertEqual(try complete(["cachectl", "bench", "-"]).contains("-n"), true)
        XCTAssertEqual(try complete(["cachectl", "keys", "list", "--type=s"]), ["string", "set"])
        let certificate = try ShellRunner.temporaryFile("", name: "ca-bundle.pem")
        XCTAssertEqual(try complete(["cachectl", "--cacert", String(certificate.dropLast(4))]), [certificate])
        XCTAssertEqual(try complete(["cachectl", "--timeout", ""]), [], "free values offer nothing")
        XCTAssertEqual(try complete(["cachectl", "lock", "run", "x", "--", "bas"]).contains("bash"), true,
                       "after -- of a passthrough command: command names")
    }

    /// Asks fish itself what it would complete (`complete -C`).
    func testFishCompletes() throws {
        guard let fishPath = ShellRunner.find("fish") else { throw XCTSkip("fish is not installed") }
        let file = try ShellRunner.temporaryFile(fish, name: "cachectl.fish")
        func complete(_ line: String) throws -> [String] {
            let result = try ShellRunner.run(fishPath, ["--no-config", "-c", "source \(file); complete -C '\(line)'"])
            XCTAssertEqual(result.stderr, "", line)
            return result.stdout.split(separator: "\n").map { String($0.split(separator: "\t")[0]) }
        }
        XCTAssertEqual(try complete("cachectl lo"), ["lock"])
        XCTAssertEqual(try complete("cachectl -p 6380 lock "), ["acquire", "release", "run"])
        XCTAssertEqual(try complete("cachectl keys list --type "), ["hash", "list", "set", "string", "zset"])
        XCTAssertEqual(try complete("cachectl help lock r"), ["release", "run"])
        XCTAssertEqual(try complete("cachectl health --ver"), ["--verbose"])
        XCTAssertEqual(try complete("cachectl bench -n 5 --p"), ["--pipeline", "--port", "--prefix"])
    }

    /// Runs the zsh function with the completion builtins replaced by stubs that print
    /// what they were given (a real completion session needs a terminal).
    func testZshCompletes() throws {
        guard let zshPath = ShellRunner.find("zsh") else { throw XCTSkip("zsh is not installed") }
        let file = try ShellRunner.temporaryFile(zsh, name: "_cachectl")
        func complete(_ words: [String]) throws -> [String] {
            let quoted = words.map { "'\($0)'" }.joined(separator: " ")
            let driver = """
                _describe() { print -l -- ${(P)4}; }
                compadd() { shift; print -l -- ${(P)1}; }
                _files() { print FILES; }
                _message() { print MESSAGE; }
                _normal() { print "NORMAL $CURRENT"; }
                compset() { :; }
                compdef() { :; }
                source '\(file)'
                words=(\(quoted)); CURRENT=${#words}
                _cachectl
                """
            let result = try ShellRunner.run(zshPath, ["-f", "-c", driver])
            XCTAssertEqual(result.stderr, "", words.joined(separator: " "))
            return result.stdout.split(separator: "\n").map(String.init)
        }
        XCTAssertEqual(try complete(["cachectl", "-p", "6380", "lock", ""]),
                       ["acquire:Take a lock", "release:Release a lock", "run:Run a command while holding a lock"])
        XCTAssertEqual(try complete(["cachectl", "keys", "list", "--type", ""]), ["string", "hash", "list", "set", "zset"])
        XCTAssertEqual(try complete(["cachectl", "keys", "list", "--type=s"]), ["string", "hash", "list", "set", "zset"])
        XCTAssertEqual(try complete(["cachectl", "--cacert", ""]), ["FILES"])
        XCTAssertEqual(try complete(["cachectl", "--timeout", ""]), ["MESSAGE"])
        XCTAssertEqual(try complete(["cachectl", "lock", "run", "x", "--", "make", ""]), ["NORMAL 2"])
        let benchOptions = try complete(["cachectl", "bench", "-"])
        XCTAssertTrue(benchOptions.contains("-n:Total requests"))
        XCTAssertFalse(benchOptions.contains("-n:Database number"), "bench's -n shadows the global one")
        XCTAssertTrue(benchOptions.contains("--db:Database number"))
    }
}
