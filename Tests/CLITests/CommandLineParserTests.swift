import CLI
import XCTest

final class CommandLineParserTests: XCTestCase {
    func testCommandPathArgumentsAndOptions() throws {
        let p = try Sample.parse("lock", "acquire", "deploy", "--ttl", "30s")
        XCTAssertEqual(p.commandPath, ["lock", "acquire"])
        XCTAssertEqual(p.arguments, [Argument("deploy")])
        XCTAssertEqual(p.options.duration("ttl"), .seconds(30))
        XCTAssertFalse(p.helpRequested)
        XCTAssertFalse(p.versionRequested)
    }

    func testNoCommandGivesEmptyPath() throws {
        let p = try Sample.parse("--json")
        XCTAssertEqual(p.commandPath, [])
        XCTAssertTrue(p.options.has("json"))
        XCTAssertEqual(try Sample.parse().commandPath, [])
    }

    func testGlobalOptionsBeforeAndAfterCommand() throws {
        let before = try Sample.parse("-p", "6380", "--json", "health")
        let after = try Sample.parse("health", "-p", "6380", "--json")
        for p in [before, after] {
            XCTAssertEqual(p.commandPath, ["health"])
            XCTAssertEqual(p.options.int("port"), 6380)
            XCTAssertTrue(p.options.has("json"))
        }
        let between = try Sample.parse("lock", "--url", "redis://x", "acquire", "n")
        XCTAssertEqual(between.options.string("url"), "redis://x")
        XCTAssertEqual(between.commandPath, ["lock", "acquire"])
    }

    func testValueForms() throws {
        let p = try Sample.parse("--timeout=250ms", "-p6380", "-n", "3", "--url", "redis://h", "health")
        XCTAssertEqual(p.options.duration("timeout"), .milliseconds(250))
        XCTAssertEqual(p.options.int("port"), 6380)
        XCTAssertEqual(p.options.int("db"), 3)
        XCTAssertEqual(p.options.string("url"), "redis://h")
        XCTAssertEqual(try Sample.parse("-p=6381", "health").options.int("port"), 6381)
    }

    func testEqualsValueMayContainEqualsAndBeEmpty() throws {
        XCTAssertEqual(try Sample.parse("--url=redis://h/?a=b", "health").options.string("url"), "redis://h/?a=b")
        XCTAssertEqual(try Sample.parse("--prefix=", "health").options.string("prefix"), "")
    }

    func testCombinedShortFlags() throws {
        let p = try Sample.parse("health", "-qv")
        XCTAssertTrue(p.options.has("quiet"))
        XCTAssertTrue(p.options.has("verbose"))
        let withValue = try Sample.parse("health", "-qp6390")
        XCTAssertTrue(withValue.options.has("quiet"))
        XCTAssertEqual(withValue.options.int("port"), 6390)
        let repeated = try Sample.parse("health", "-vv")
        XCTAssertEqual(repeated.options.count("verbose"), 2)
    }

    /// `bench -n 1000 -n 3` must not quietly take the last value: a single-valued option
    /// given twice (in any spelling, before or after the command) is a usage error naming it.
    func testSingleValuedOptionGivenTwiceIsUsageError() {
        for words in [["-p", "1", "health", "--port", "2"], ["health", "-p1", "-p", "2"], ["--port=1", "--port=1", "health"]] {
            XCTAssertThrowsError(try CommandLineParser.parse(words.map(Argument.init), spec: Sample.spec), "\(words)") { error in
                XCTAssertEqual((error as? UsageError)?.message, "option '-p, --port' given more than once; it takes one value")
            }
        }
        // Flags may repeat (`-vv`), repeatable options accumulate.
        XCTAssertEqual(try Sample.parse("-v", "health", "-v").options.count("verbose"), 2)
    }

    func testRepeatableAccumulates() throws {
        let p = try Sample.parse("keys", "list", "--exclude", "a*", "--exclude=b*")
        XCTAssertEqual(p.options.strings("exclude"), ["a*", "b*"])
        XCTAssertEqual(p.options.allBytes("exclude"), [Array("a*".utf8), Array("b*".utf8)])
    }

    func testCommandShortLetterShadowsGlobal() throws {
        let bench = try Sample.parse("-n", "2", "bench", "-n", "1000")
        XCTAssertEqual(bench.options.int("db"), 2, "before the command -n is the global --db")
        XCTAssertEqual(bench.options.int("requests"), 1000, "inside bench -n is --requests")
        let health = try Sample.parse("health", "-n", "5")
        XCTAssertEqual(health.options.int("db"), 5)
        XCTAssertNil(health.options.int("requests"))
    }

    func testDoubleDashMakesOptionLookingArgumentsPositional() throws {
        let p = try Sample.parse("keys", "list", "--", "--weird", "-q")
        XCTAssertEqual(p.arguments, [Argument("--weird"), Argument("-q")])
        XCTAssertFalse(p.options.has("quiet"))
    }

    func testPassthroughAfterDoubleDash() throws {
        let p = try Sample.parse("lock", "run", "deploy", "--ttl", "1m", "--", "make", "--jobs=4", "--help", "-q")
        XCTAssertEqual(p.commandPath, ["lock", "run"])
        XCTAssertEqual(p.arguments, [Argument("deploy")])
        XCTAssertEqual(p.passthrough, ["make", "--jobs=4", "--help", "-q"].map(Argument.init))
        XCTAssertEqual(p.options.duration("ttl"), .seconds(60))
        XCTAssertFalse(p.helpRequested, "--help after -- belongs to the child command")
        XCTAssertFalse(p.options.has("quiet"))
    }

    func testHelpFlagAnywhere() throws {
        let top = try Sample.parse("--help")
        XCTAssertTrue(top.helpRequested)
        XCTAssertEqual(top.commandPath, [])
        let sub = try Sample.parse("lock", "acquire", "--help")
        XCTAssertTrue(sub.helpRequested)
        XCTAssertEqual(sub.commandPath, ["lock", "acquire"])
        let before = try Sample.parse("--help", "lock", "acquire")
        XCTAssertEqual(before.commandPath, ["lock", "acquire"])
        XCTAssertTrue(before.helpRequested)
    }

    func testHelpWinsOverMissingArgumentsAndSubcommand() throws {
        let p = try Sample.parse("lock", "--help")
        XCTAssertTrue(p.helpRequested)
        XCTAssertEqual(p.commandPath, ["lock"])
        let q = try Sample.parse("lock", "acquire", "--ttl", "--help")
        XCTAssertTrue(q.helpRequested)
        XCTAssertEqual(q.commandPath, ["lock", "acquire"])
        let r = try Sample.parse("lock", "acquire", "--bogus", "--help")
        XCTAssertTrue(r.helpRequested)
    }

    func testHelpPseudoCommand() throws {
        XCTAssertEqual(try Sample.parse("help").commandPath, [])
        XCTAssertTrue(try Sample.parse("help").helpRequested)
        let p = try Sample.parse("help", "lock", "acquire")
        XCTAssertTrue(p.helpRequested)
        XCTAssertEqual(p.commandPath, ["lock", "acquire"])
        XCTAssertEqual(try Sample.parse("lock", "help").commandPath, ["lock"])
        XCTAssertTrue(try Sample.parse("lock", "help").helpRequested)
    }

    func testHelpPseudoCommandRejectsUnknownCommand() {
        let e = Sample.error("help", "lokc")
        XCTAssertEqual(e?.message, "unknown command 'lokc'")
        XCTAssertEqual(e?.hint, "did you mean 'lock'?")
    }

    func testVersion() throws {
        let p = try Sample.parse("--version")
        XCTAssertTrue(p.versionRequested)
        XCTAssertFalse(p.helpRequested)
    }

    func testVersionAfterCommandIsAnError() {
        let e = Sample.error("health", "--version")
        XCTAssertEqual(e?.message, "unknown option '--version' for 'health'")
        XCTAssertEqual(e?.hint, "'--version' goes before the command: 'cachectl --version'")
    }

    func testDashHIsHostNotHelp() throws {
        let p = try Sample.parse("-h", "cache.internal", "health")
        XCTAssertEqual(p.options.string("host"), "cache.internal")
        XCTAssertFalse(p.helpRequested)
        let e = Sample.error("health", "-h")
        XCTAssertEqual(e?.message, "option '-h' needs a value (HOST)")
        XCTAssertEqual(e?.hint, "'-h' is '--host' as in redis-cli; use '--help' for help")
    }

    func testNegativeNumbersAsValues() throws {
        XCTAssertEqual(try Sample.parse("invalidate", "a*", "--offset", "-5").options.int("offset"), -5)
        XCTAssertEqual(try Sample.parse("invalidate", "a*", "--offset=-7").options.int("offset"), -7)
        XCTAssertEqual(try Sample.parse("invalidate", "a*", "--rate", "-0.5").options.double("rate"), -0.5)
    }

    func testNegativeNumberAsPositionalArgument() throws {
        let p = try Sample.parse("invalidate", "-5", "-1.5")
        XCTAssertEqual(p.arguments, [Argument("-5"), Argument("-1.5")])
    }

    func testShortDigitOptionWinsOverNegativeNumber() throws {
        let p = try Sample.parse("keys", "list", "-0")
        XCTAssertTrue(p.options.has("null"))
        XCTAssertEqual(p.arguments, [])
    }

    func testLoneDashIsPositional() throws {
        XCTAssertEqual(try Sample.parse("invalidate", "-").arguments, [Argument("-")])
    }

    func testTypedAccessors() throws {
        let p = try Sample.parse("invalidate", "x", "--max-memory", "4kb", "--rate", "2.5", "--dry-run")
        XCTAssertEqual(p.options.size("max-memory"), 4096)
        XCTAssertEqual(p.options.double("rate"), 2.5)
        XCTAssertTrue(p.options.has("dry-run"))
        XCTAssertNil(p.options.string("dry-run"))
        XCTAssertNil(p.options.int("offset"))
        XCTAssertFalse(p.options.has("yes"))
        XCTAssertEqual(p.options.givenNames, ["max-memory", "rate", "dry-run"])
    }

    func testChoiceAccepted() throws {
        XCTAssertEqual(try Sample.parse("keys", "list", "--type", "hash").options.string("type"), "hash")
    }

    func testVariadicAndOptionalArguments() throws {
        XCTAssertEqual(try Sample.parse("keys", "list").arguments, [])
        XCTAssertEqual(try Sample.parse("keys", "list", "a", "b", "c").arguments.map(\.text), ["a", "b", "c"])
        XCTAssertEqual(try Sample.parse("lock", "acquire", "n", "me").arguments.map(\.text), ["n", "me"])
    }

    func testNonUTF8BytesSurvive() throws {
        let key = Argument(bytes: [0x75, 0x3A, 0xFF, 0xFE, 0x00, 0x41])
        let prefix = Argument(bytes: Array("--prefix=".utf8) + [0xC3, 0x28])
        let value = Argument(bytes: [0x80, 0x2D])
        let p = try CommandLineParser.parse([Argument("keys"), Argument("list"), prefix, key,
                                             Argument("--exclude"), value], spec: Sample.spec)
        XCTAssertEqual(p.arguments.first?.bytes, [0x75, 0x3A, 0xFF, 0xFE, 0x00, 0x41])
        XCTAssertEqual(p.options.bytes("prefix"), [0xC3, 0x28])
        XCTAssertEqual(p.options.bytes("exclude"), [0x80, 0x2D])
        XCTAssertFalse(p.arguments[0].isValidUTF8)
    }

    func testShortValueBytesAfterLetterSurvive() throws {
        let p = try CommandLineParser.parse([Argument(bytes: [0x2D, 0x75, 0xFF, 0x61]), Argument("health")],
                                            spec: Sample.spec)
        XCTAssertEqual(p.options.bytes("url"), [0xFF, 0x61])
    }
}
