import CLI
import XCTest

final class ParserErrorTests: XCTestCase {
    func testUnknownOptionWithSuggestion() {
        let e = Sample.error("invalidate", "a*", "--dryrun")
        XCTAssertEqual(e, UsageError(message: "unknown option '--dryrun'",
                                     usage: "cachectl invalidate [OPTIONS] PATTERN...",
                                     hint: "did you mean '--dry-run'?"))
        XCTAssertEqual(e?.description, "unknown option '--dryrun' (did you mean '--dry-run'?)")
    }

    func testUnknownOptionWithoutSuggestion() {
        let e = Sample.error("health", "--zzzzzz")
        XCTAssertEqual(e?.message, "unknown option '--zzzzzz'")
        XCTAssertNil(e?.hint)
        XCTAssertEqual(e?.usage, "cachectl health [OPTIONS]")
    }

    func testCommandOptionGivenBeforeCommandPointsToCommand() {
        let e = Sample.error("--dry-run", "invalidate", "x")
        XCTAssertEqual(e?.message, "unknown option '--dry-run'")
        XCTAssertEqual(e?.hint, "'--dry-run' is an option of 'invalidate'; give it after the command")
        XCTAssertEqual(e?.usage, "cachectl [GLOBAL OPTIONS] COMMAND [SUBCOMMAND] [OPTIONS] [ARGS]")
    }

    func testHiddenOptionIsAcceptedButNotSuggested() throws {
        XCTAssertEqual(try Sample.parse("--trace", "x", "health").options.string("trace"), "x")
        XCTAssertNil(Sample.error("health", "--trac")?.hint)
    }

    func testSingleDashLongOptionSuggestsDoubleDash() {
        let e = Sample.error("health", "-json")
        XCTAssertEqual(e?.message, "unknown option '-json'")
        XCTAssertEqual(e?.hint, "did you mean '--json'?")
    }

    func testUnknownLetterInCluster() {
        let e = Sample.error("health", "-qx")
        XCTAssertEqual(e?.message, "unknown option '-x' in '-qx'")
    }

    func testFlagWithValue() {
        XCTAssertEqual(Sample.error("health", "--json=yes")?.message, "option '--json' does not take a value")
        XCTAssertEqual(Sample.error("--help=1")?.message, "option '--help' does not take a value")
    }

    func testUnknownCommandWithSuggestion() {
        let e = Sample.error("helth")
        XCTAssertEqual(e, UsageError(message: "unknown command 'helth'",
                                     usage: "cachectl [GLOBAL OPTIONS] COMMAND [SUBCOMMAND] [OPTIONS] [ARGS]",
                                     hint: "did you mean 'health'?"))
    }

    func testUnknownCommandWithoutSuggestion() {
        XCTAssertEqual(Sample.error("frobnicate")?.hint, "run 'cachectl help' for the list of commands")
    }

    func testUnknownCommandIsNotHiddenByHelp() {
        XCTAssertEqual(Sample.error("lokc", "--help")?.message, "unknown command 'lokc'")
    }

    func testUnknownSubcommand() {
        let e = Sample.error("lock", "aquire", "x")
        XCTAssertEqual(e?.message, "unknown subcommand 'aquire' for 'lock'")
        XCTAssertEqual(e?.hint, "did you mean 'acquire'?")
        XCTAssertEqual(e?.usage, "cachectl lock SUBCOMMAND [OPTIONS] [ARGS]")
        XCTAssertEqual(Sample.error("lock", "zzzzzz")?.hint, "choose one of: acquire, release, run")
    }

    func testMissingSubcommandListsThem() {
        let e = Sample.error("lock")
        XCTAssertEqual(e?.message, "'lock' needs a subcommand: one of acquire, release, run")
        XCTAssertEqual(e?.hint, "run 'cachectl lock --help' for details")
    }

    func testMissingValue() {
        let e = Sample.error("health", "--timeout")
        XCTAssertEqual(e?.message, "option '--timeout' needs a value (DURATION)")
        XCTAssertEqual(e?.usage, "cachectl health [OPTIONS]")
        XCTAssertEqual(Sample.error("health", "--prefix", "--json")?.message,
                       "option '--prefix' needs a value (PREFIX)")
        XCTAssertEqual(Sample.error("lock", "acquire", "x", "-t")?.message, "option '-t' needs a value (DURATION)")
        XCTAssertEqual(Sample.error("--cacert=", "health")?.message, "option '--cacert' needs a value (FILE)")
    }

    func testBadDuration() {
        XCTAssertEqual(Sample.error("--timeout", "5x", "health")?.message,
                       "invalid duration '5x' for '--timeout': use 250ms, 30s, 5m, 1h, 1h30m or 7d")
        XCTAssertEqual(Sample.error("--timeout=-5s", "health")?.message,
                       "invalid duration '-5s' for '--timeout': must not be negative")
        XCTAssertEqual(Sample.error("--timeout", "99999999999h", "health")?.message,
                       "invalid duration '99999999999h' for '--timeout': too large")
        XCTAssertEqual(Sample.error("--timeout=", "health")?.message, "option '--timeout' needs a value (DURATION)")
    }

    func testBadSize() {
        XCTAssertEqual(Sample.error("invalidate", "x", "--max-memory", "4tb")?.message,
                       "invalid size '4tb' for '--max-memory': use 512, 4kb, 1mb or 1gb")
    }

    /// A malformed duration or size points to the one definition of its form.
    func testBadDurationOrSizePointsToValues() {
        XCTAssertEqual(Sample.error("--timeout", "5x", "health")?.hint, "see DURATION under VALUES in 'cachectl help'")
        XCTAssertEqual(Sample.error("invalidate", "x", "--max-memory", "1.5mb")?.hint,
                       "see SIZE under VALUES in 'cachectl help'")
        XCTAssertNil(Sample.error("-p", "http", "health")?.hint, "other kinds have no VALUES entry")
    }

    func testBadNumbers() {
        XCTAssertEqual(Sample.error("-p", "http", "health")?.message,
                       "invalid number 'http' for '-p': expected a whole number, 0 or more")
        XCTAssertEqual(Sample.error("--port", "-1", "health")?.message,
                       "invalid number '-1' for '--port': expected a whole number, 0 or more")
        XCTAssertEqual(Sample.error("--port", "99999999999999999999", "health")?.message,
                       "invalid number '99999999999999999999' for '--port': expected a whole number, 0 or more")
        XCTAssertEqual(Sample.error("invalidate", "x", "--offset", "1.5")?.message,
                       "invalid number '1.5' for '--offset': expected a whole number")
        XCTAssertEqual(Sample.error("invalidate", "x", "--rate", "nan")?.message,
                       "invalid number 'nan' for '--rate': expected a number such as 0.8 or 95")
    }

    func testBadChoice() {
        let e = Sample.error("keys", "list", "--type", "hsah")
        XCTAssertEqual(e?.message, "invalid value 'hsah' for '--type': choose one of string, hash, list, set, zset")
        XCTAssertEqual(e?.hint, "did you mean 'hash'?")
    }

    func testMissingRequiredArgument() {
        let e = Sample.error("lock", "acquire")
        XCTAssertEqual(e?.message, "missing required argument NAME")
        XCTAssertEqual(e?.usage, "cachectl lock acquire [OPTIONS] NAME [OWNER]")
        XCTAssertEqual(Sample.error("invalidate", "--dry-run")?.message, "missing required argument PATTERN")
    }

    func testTooManyArguments() {
        XCTAssertEqual(Sample.error("lock", "acquire", "a", "b", "c")?.message, "unexpected argument 'c'")
        XCTAssertEqual(Sample.error("health", "extra")?.message, "'health' takes no arguments, got 'extra'")
    }

    func testPassthroughNeedsDoubleDashAndCommand() {
        let e = Sample.error("lock", "run", "deploy", "make")
        XCTAssertEqual(e?.message, "unexpected argument 'make'")
        XCTAssertEqual(e?.hint, "put the command to run after '--'")
        XCTAssertEqual(Sample.error("lock", "run", "deploy")?.message, "'lock run' needs a command to run after '--'")
        XCTAssertEqual(Sample.error("lock", "run", "deploy", "--")?.message, "'lock run' needs a command to run after '--'")
    }

    func testControlCharactersInMessagesAreEscaped() {
        XCTAssertEqual(Sample.error("health", "a\nb")?.message, "'health' takes no arguments, got \"a\\nb\"")
    }

    func testRenderedForStderr() {
        let e = UsageError(message: "unknown option '--dryrun'", usage: "cachectl invalidate PATTERN...",
                           hint: "did you mean '--dry-run'?")
        XCTAssertEqual(e.rendered(programName: "cachectl"), """
            cachectl: error: unknown option '--dryrun'
            cachectl: hint: did you mean '--dry-run'?
            usage: cachectl invalidate PATTERN...

            """)
    }
}
