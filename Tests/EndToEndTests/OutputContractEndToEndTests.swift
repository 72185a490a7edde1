import XCTest
import Foundation
import TestSupport

/// The output rules (docs/CLI.md): a failed or short write to stdout exits 74 (never a silent
/// truncation), a reader that leaves early ends output quietly, and `--quiet` silences
/// chatter but never the result a script captures.
final class OutputContractEndToEndTests: XCTestCase {
    static let db = "12"

    private func sh(_ s: RedisServer, _ script: String) throws -> ShellScript.Result {
        try ShellScript.run("c() { \"$CACHECTL\" -p \(s.port) -n \(Self.db) \"$@\"; }\n" + script)
    }

    func testAFullDiskExits74WithOneLine() throws {
        let s = try RedisServer.shared.get()
        try s.cli(["-n", Self.db, "SET", "full:1", "x"])
        for command in ["keys list 'full:*'", "keys list 'full:*' -0", "keys list 'full:*' --json", "keys stats", "keys audit --json",
                        "health", "health --json", "lock status full", "ratelimit check full --limit 5 --window 1m",
                        "invalidate 'full:*' --dry-run", "completion bash", "man", "--version", "help lock"] {
            let r = try sh(s, "c \(command) > /dev/full; echo \"exit $?\"")
            XCTAssertEqual(r.stdout, "exit 74\n", "\(command): \(r.stderr)")
            XCTAssertEqual(r.stderr, "cachectl: error: cannot write to stdout: No space left on device; the output is incomplete\n", command)
        }
    }

    /// An owner nobody received would leave a lock only `--force` could break.
    func testLockAcquireThatCannotPrintItsOwnerReleasesTheLock() throws {
        let s = try RedisServer.shared.get()
        let name = "full-\(UUID().uuidString.prefix(8))"
        for flags in ["", "--json"] {
            let r = try sh(s, "c lock acquire \(name) \(flags) > /dev/full; echo \"exit $?\"")
            XCTAssertEqual(r.stdout, "exit 74\n", r.stderr)
            XCTAssertTrue(r.stderr.contains("cannot print the owner of lock:\(name): No space left on device; the lock was released"), r.stderr)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "one error line, no failure document tried: \(r.stderr)")
            XCTAssertEqual(try s.cli(["-n", Self.db, "EXISTS", "lock:\(name)"]), "0", "the lock is free")
        }
        // The same for a semaphore's lease: given back, no holder left behind.
        for flags in ["", "--json"] {
            let r = try sh(s, "c lock acquire \(name) --holders 2 \(flags) > /dev/full; echo \"exit $?\"")
            XCTAssertEqual(r.stdout, "exit 74\n", r.stderr)
            XCTAssertTrue(r.stderr.contains("cannot print the owner of lock:\(name): No space left on device; the lease was released"),
                          r.stderr)
            XCTAssertEqual(try s.cli(["-n", Self.db, "ZCARD", "semaphore:{lock:\(name)}:holders"]), "0", "no holder left")
        }
    }

    /// `| head`: output stops without a message and the command keeps its own status.
    func testAReaderThatLeavesEarlyEndsOutputQuietly() throws {
        let s = try RedisServer.shared.get()
        try s.cli(["-n", Self.db, "EVAL", "for i=1,5000 do redis.call('SET', 'pipe:'..i, 'x') end", "0"])
        let r = try sh(s, """
            c keys list 'pipe:*' --count 100 | head -1 > /dev/null; echo "list ${?} $(c keys list 'pipe:*' --count 100 | head -1 | wc -l)"
            ( c man; echo "man $?" >&2 ) | head -1 > /dev/null
            """)
        XCTAssertEqual(r.stdout, "list 0 1\n", r.stderr)
        XCTAssertEqual(r.stderr, "man 0\n")
    }

    func testQuietKeepsTheResultAScriptCaptures() throws {
        let s = try RedisServer.shared.get()
        let name = "quiet-\(UUID().uuidString.prefix(8))"
        try s.cli(["-n", Self.db, "SET", "quiet:1", "x"])
        let r = try sh(s, """
            owner=$(c lock acquire \(name) -q); echo "owner=${owner:+set}"
            c lock release \(name) --owner "$owner" -q; echo "released $?"
            echo "keys=$(c keys list 'quiet:*' -q)"
            echo "json=$(c health --json -q | head -c 11)"
            echo "table=$(c health -q)"
            st=$(c lock status \(name) -q); echo "status=$st $?"
            """)
        XCTAssertEqual(r.stdout, "owner=set\nreleased 0\nkeys=quiet:1\njson={\"healthy\":\ntable=\nstatus= 1\n", r.stderr)
        XCTAssertEqual(r.stderr, "")
    }
}
