import XCTest
import Foundation
import TestSupport

final class UsageEndToEndTests: XCTestCase {
    func testUnknownOptionExits64WithSuggestionAndUsage() throws {
        let r = try Cachectl.run(["health", "--sample", "3"])
        XCTAssertEqual(r.exitCode, 64)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.hasPrefix("cachectl: error: unknown option '--sample'"), r.stderr)
        XCTAssertTrue(r.stderr.contains("did you mean '--samples'?"), r.stderr)
        XCTAssertTrue(r.stderr.contains("usage: cachectl"), r.stderr)
    }

    func testUnknownCommandSuggests() throws {
        let r = try Cachectl.run(["helth"])
        XCTAssertEqual(r.exitCode, 64)
        XCTAssertTrue(r.stderr.contains("'health'"), r.stderr)
    }

    func testBadDurationExits64() throws {
        let r = try Cachectl.run(["--timeout", "5x", "health"])
        XCTAssertEqual(r.exitCode, 64)
        XCTAssertTrue(r.stderr.contains("5x"), r.stderr)
    }

    func testBadSamplesExits64() throws {
        let r = try Cachectl.run(["health", "--samples", "0"])
        XCTAssertEqual(r.exitCode, 64, r.stderr)
        let pct = try Cachectl.run(["health", "--min-hit-rate", "120"])
        XCTAssertEqual(pct.exitCode, 64, pct.stderr)
    }

    func testHelpAndVersion() throws {
        let help = try Cachectl.run(["--help"])
        XCTAssertEqual(help.exitCode, 0)
        XCTAssertTrue(help.stdout.contains("health"))
        let cmdHelp = try Cachectl.run(["help", "health"])
        XCTAssertEqual(cmdHelp.exitCode, 0)
        XCTAssertTrue(cmdHelp.stdout.contains("--max-latency-ms"))
        XCTAssertEqual(try Cachectl.run(["health", "--help"]).stdout, cmdHelp.stdout)
        let version = try Cachectl.run(["--version"])
        XCTAssertEqual(version.exitCode, 0)
        XCTAssertTrue(version.stdout.hasPrefix("cachectl "), version.stdout)
        // `--version` alone takes a shortcut past the parser; with a flag before it, it does not.
        let parsed = try Cachectl.run(["--verbose", "--version"])
        XCTAssertEqual(parsed.exitCode, 0)
        XCTAssertEqual(parsed.stdout, version.stdout)
    }

    func testNoCommandPrintsHelpOnStderrAndExits64() throws {
        let r = try Cachectl.run([])
        XCTAssertEqual(r.exitCode, 64)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("health"))
    }

    /// The committed completions and man page are generated files: a change to the command
    /// table must regenerate them (`scripts/generate-docs`).
    func testCommittedDocsMatchTheBinary() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let files: [([String], String)] = [
            (["completion", "bash"], "completions/cachectl.bash"),
            (["completion", "zsh"], "completions/_cachectl"),
            (["completion", "fish"], "completions/cachectl.fish"),
            (["man"], "man/cachectl.1"),
        ]
        for (args, path) in files {
            let generated = try Cachectl.run(args)
            XCTAssertEqual(generated.exitCode, 0, generated.stderr)
            let committed = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            XCTAssertEqual(committed, generated.stdout, "\(path) is stale: run scripts/generate-docs")
        }
    }

    func testManPageRendersWithoutGroffWarnings() throws {
        guard let groff = findExecutable("groff") else { throw XCTSkip("groff is not installed") }
        let page = try Cachectl.run(["man"])
        let p = Process()
        p.executableURL = URL(fileURLWithPath: groff)
        p.arguments = ["-man", "-ww", "-z"]
        let input = Pipe(), err = Pipe()
        p.standardInput = input
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        input.fileHandleForWriting.write(page.stdoutBytes)
        try input.fileHandleForWriting.close()
        let warnings = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        XCTAssertEqual(warnings, "")
        XCTAssertEqual(p.terminationStatus, 0)
    }
}
