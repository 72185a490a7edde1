@testable import CLI
import XCTest

final class HelpRendererTests: XCTestCase {
    func testUsageLines() {
        let spec = Sample.spec
        XCTAssertEqual(HelpRenderer.usageLine(for: [], in: spec),
                       "cachectl [GLOBAL OPTIONS] COMMAND [SUBCOMMAND] [OPTIONS] [ARGS]")
        XCTAssertEqual(HelpRenderer.usageLine(for: ["lock", "acquire"], in: spec),
                       "cachectl lock acquire [OPTIONS] NAME [OWNER]")
        XCTAssertEqual(HelpRenderer.usageLine(for: ["keys", "list"], in: spec),
                       "cachectl keys list [OPTIONS] [PATTERN...]")
        XCTAssertEqual(HelpRenderer.usageLine(for: ["lock", "run"], in: spec),
                       "cachectl lock run [OPTIONS] NAME -- COMMAND [ARGS...]")
        XCTAssertEqual(HelpRenderer.usageLine(for: ["lock"], in: spec), "cachectl lock SUBCOMMAND [OPTIONS] [ARGS]")
        XCTAssertEqual(HelpRenderer.usageLine(for: ["help"], in: spec), "cachectl help [OPTIONS] [COMMAND...]")
    }

    func testProgramHelpListsCommandsAndVisibleGlobalOptions() {
        let help = HelpRenderer.help(for: [], in: Sample.spec)
        XCTAssertTrue(help.hasPrefix("cachectl - operate Redis as a cache\n\nUsage: cachectl [GLOBAL OPTIONS]"))
        for command in Sample.spec.commands { XCTAssertTrue(help.contains("\n  \(command.name) "), command.name) }
        XCTAssertTrue(help.contains("\n  help "))
        XCTAssertTrue(help.contains("\n  lock        Distributed locks (acquire, release, run)\n"))
        for option in Sample.spec.globalOptions where !option.hidden {
            XCTAssertTrue(help.contains("--\(option.long)"), option.long)
        }
        XCTAssertFalse(help.contains("--trace"), "hidden options stay out of --help")
        XCTAssertTrue(help.contains("\n  -p, --port PORT         Server port\n"))
        XCTAssertTrue(help.contains("\n      --timeout DURATION  Connect and reply timeout\n"))
        XCTAssertTrue(help.contains("      --version"))
        XCTAssertTrue(help.contains("\n  cachectl health\n  cachectl keys list 'user:*'\n"), "preformatted kept")
        XCTAssertTrue(help.contains("  # Health as JSON\n  cachectl health --json\n"))
        XCTAssertTrue(help.contains("\nValues:\n  DURATION  250ms, 30s, 5m or 1h30m; a plain number is seconds\n"
                                    + "  SIZE      512, 4kb or 1mib\n\nExamples:"), help)
    }

    func testCommandHelp() {
        let help = HelpRenderer.help(for: ["lock", "acquire"], in: Sample.spec)
        XCTAssertEqual(help, """
            Usage: cachectl lock acquire [OPTIONS] NAME [OWNER]

            Take a lock

            Takes the lock NAME for --ttl.

            Fails with exit 1 when it is held.

            Arguments:
              NAME   Lock name
              OWNER  Owner token

            Options:
              -t, --ttl DURATION   Lock lifetime
                  --wait DURATION  How long to wait for the lock
                  --help           show help for the program or a command

            Global options (--url, --host, --port, --db, ...) work before or after the
            command; see 'cachectl --help'.

            Examples:
              # Take the deploy lock for 30 seconds
              cachectl lock acquire deploy --ttl 30s

            """)
    }

    func testShadowedShortLetterIsExplained() {
        let help = HelpRenderer.help(for: ["bench"], in: Sample.spec)
        XCTAssertTrue(help.contains("  -n, --requests N"))
        XCTAssertTrue(help.contains("Here '-n' means '--requests'; for the global '--db' use its long form."))
    }

    func testCommandWithSubcommands() {
        let help = HelpRenderer.help(for: ["lock"], in: Sample.spec)
        XCTAssertTrue(help.contains("Subcommands:\n  acquire  Take a lock\n  release  Release a lock\n"))
        XCTAssertTrue(help.contains("Run 'cachectl lock SUBCOMMAND --help'"))
    }

    func testLinesFitIn80Columns() {
        var paths: [[String]] = [[]]
        paths += Sample.spec.allCommands.map(\.path)
        for path in paths {
            for line in HelpRenderer.help(for: path, in: Sample.spec).split(separator: "\n") {
                XCTAssertLessThanOrEqual(line.unicodeScalars.count, 80, "\(path): \(line)")
            }
        }
    }

    func testWrapping() {
        let text = TextWrapping.wrap("aaa bbb ccc ddd", width: 10, indent: 2, firstIndent: 6)
        XCTAssertEqual(text, "aaa\n  bbb ccc\n  ddd")
        XCTAssertEqual(TextWrapping.wrap("averyveryverylongword x", width: 8, indent: 0), "averyveryverylongword\nx")
    }

    func testLongOptionPutsHelpOnNextLine() {
        let rows = HelpRenderer.twoColumns([("--a-really-long-option-name VALUE-NAME", "help"), ("-x", "short")])
        XCTAssertEqual(rows, "  --a-really-long-option-name VALUE-NAME\n      help\n  -x  short\n")
    }
}
