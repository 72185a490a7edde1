import CLI
import Foundation
import XCTest

final class ManPageGeneratorTests: XCTestCase {
    let page = ManPageGenerator.manPage(for: Sample.spec, date: "2026-01-02")

    func testSectionsInOrder() {
        let sections = page.split(separator: "\n").filter { $0.hasPrefix(".SH ") }
        XCTAssertEqual(sections, [".SH \"NAME\"", ".SH \"SYNOPSIS\"", ".SH \"DESCRIPTION\"", ".SH \"GLOBAL OPTIONS\"",
                                  ".SH \"VALUES\"", ".SH \"COMMANDS\"", ".SH \"ENVIRONMENT\"", ".SH \"EXIT STATUS\"",
                                  ".SH \"EXAMPLES\"", ".SH \"SEE ALSO\""])
        XCTAssertTrue(page.contains(".TH \"CACHECTL\" 1 \"2026-01-02\" \"cachectl 9.9.9\" \"User Commands\"\n"))
        XCTAssertTrue(page.contains(".SH \"NAME\"\ncachectl \\- operate Redis as a cache\n"))
    }

    func testEveryCommandAndOptionIsDocumented() {
        for (path, command) in Sample.spec.allCommands {
            XCTAssertTrue(page.contains(".SS \"\(path.joined(separator: " "))\"\n"), "\(path)")
            for option in command.options {
                XCTAssertTrue(page.contains("\\fB\\-\\-\(option.long.replacingOccurrences(of: "-", with: "\\-"))\\fR"),
                              option.long)
            }
        }
        for option in Sample.spec.globalOptions {
            XCTAssertTrue(page.contains("\\fB\\-\\-\(option.long.replacingOccurrences(of: "-", with: "\\-"))\\fR"),
                          option.long)
        }
        XCTAssertTrue(page.contains(".SS \"help\""))
        XCTAssertTrue(page.contains("\\fB\\-t\\fR, \\fB\\-\\-ttl\\fR \\fIDURATION\\fR\nLock lifetime\n"))
        XCTAssertTrue(page.contains(".TP\n\\fBREDIS_URL\\fR\nconnection URL\n"))
        XCTAssertTrue(page.contains(".TP\n\\fB64\\fR\nusage error\n"))
        XCTAssertTrue(page.contains(".SH \"VALUES\"\n.TP\n\\fIDURATION\\fR\n250ms, 30s, 5m or 1h30m; a plain number is seconds\n"))
    }

    func testEscaping() {
        XCTAssertTrue(page.contains("\n\\fB.hidden 'quoted' \\eback \\-\\- \\-\\-dash\\fR\n"))
        for line in page.split(separator: "\n") where !line.hasPrefix(".") {
            XCTAssertFalse(line.hasPrefix("'"), String(line))
        }
        XCTAssertFalse(page.unicodeScalars.contains { !$0.isASCII }, "non-ASCII must be escaped for groff")
    }

    func testDeterministic() {
        XCTAssertEqual(page, ManPageGenerator.manPage(for: Sample.spec, date: "2026-01-02"))
        XCTAssertFalse(ManPageGenerator.defaultDate.isEmpty)
    }

    func testGroffRendersWithoutWarnings() throws {
        guard let groff = ShellRunner.find("groff") else { throw XCTSkip("groff is not installed") }
        // Include text that needs escaping: a leading dot, backslashes, quotes, non-ASCII.
        var spec = Sample.spec
        spec.discussion += "\n\n.starts with a dot — and ‘quotes’ … µs ≥ 1 ☃ \"dq\" \\ back"
        spec.commands[0].discussion = "'leading apostrophe and a tab\there"
        let text = ManPageGenerator.manPage(for: spec, date: "2026-01-02")
        let result = try ShellRunner.run(groff, ["-man", "-ww", "-z"], input: text)
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.stderr, "", "groff warnings")
        let rendered = try ShellRunner.run(groff, ["-man", "-Tutf8", "-P-cbou"], input: text)
        XCTAssertTrue(rendered.stdout.contains("--dry-run"), "hyphens render as ASCII")
        XCTAssertTrue(rendered.stdout.contains("\u{2014} and \u{2018}quotes\u{2019} ... \u{00B5}s \u{2265} 1 \u{2603}"),
                      "non-ASCII survives on a UTF-8 terminal")
        XCTAssertTrue(text.contains("\n.if !c\\[u2603] .fchar \\[u2603] ?\n"))
    }

    /// cachectl's own page passes both linters with nothing to say: mandoc's lint (which
    /// flags, for one, a `.PP` right after `.SH`) and groff's warnings on a terminal device,
    /// where an unbreakable word wider than the line "cannot adjust line".
    func testProgramPageIsLintClean() throws {
        let page = ManPageGenerator.manPage(for: ProgramTable.spec, date: ManPageGenerator.defaultDate)
        let mandoc = try Self.linter("mandoc", package: "mandoc")
        let lint = try ShellRunner.run(mandoc, ["-T", "lint", "-W", "warning"], input: page)
        XCTAssertEqual(lint.stdout + lint.stderr, "", "mandoc -T lint -W warning")
        let groff = try Self.linter("groff", package: "groff-base")
        for device in [[], ["-Tutf8"]] {
            let result = try ShellRunner.run(groff, ["-ww", "-z", "-man"] + device, input: page)
            XCTAssertEqual(result.stdout + result.stderr, "", "groff -ww -z -man \(device.joined())")
            XCTAssertEqual(result.status, 0)
        }
    }

    /// The path of a linter; CI (CI=true) must have it (scripts/lib.sh installs it), a
    /// developer's machine without it skips.
    static func linter(_ tool: String, package: String) throws -> String {
        if let path = ShellRunner.find(tool) { return path }
        if ProcessInfo.processInfo.environment["CI"] == "true" { throw LinterMissing(tool: tool, package: package) }
        throw XCTSkip("\(tool) is not installed (apt-get install -y \(package)); the man page was not linted")
    }
}

/// A linter CI should have installed: a failure there, not a skip.
struct LinterMissing: Error, CustomStringConvertible {
    var tool: String
    var package: String
    var description: String { "\(tool) is not installed on CI: scripts/lib.sh's ensure_redis installs \(package)" }
}
