import CLI
import XCTest

/// `--watch [DURATION]`: an option whose value may be left out.
final class OptionalValueTests: XCTestCase {
    static let spec = ProgramSpec(
        name: "cachectl", version: "9.9.9", summary: "s", discussion: "",
        globalOptions: [.flag("json", help: "JSON")],
        commands: [CommandSpec("health", summary: "h", options: [
            OptionSpec("watch", value: .duration, valueName: "[DURATION]", help: "repeat", optionalValue: true),
            OptionSpec("count", value: .count, help: "samples"),
        ])],
        environment: [], exitCodes: [], examples: [])

    func parse(_ words: String...) throws(UsageError) -> ParsedCommandLine {
        try CommandLineParser.parse(words.map(Argument.init), spec: Self.spec)
    }

    func testValueTakenWhenValidLeftOutOtherwise() throws {
        XCTAssertEqual(try parse("health", "--watch", "2s").options.duration("watch"), .seconds(2))
        XCTAssertEqual(try parse("health", "--watch=500ms").options.duration("watch"), .milliseconds(500))
        let bare = try parse("health", "--watch", "--count", "3")
        XCTAssertTrue(bare.options.has("watch"))
        XCTAssertNil(bare.options.duration("watch"))
        XCTAssertEqual(bare.options.int("count"), 3)
        XCTAssertTrue(try parse("health", "--json", "--watch").options.has("watch"))
    }

    func testAWordThatIsNotAValueIsNotSwallowed() throws {
        XCTAssertThrowsError(try parse("health", "--watch", "soon"), "an argument health does not take, not a bad interval")
        XCTAssertThrowsError(try parse("health", "--watch=soon"), "an inline value must be valid")
    }
}
