import XCTest
import Foundation
import TestSupport

/// docs/CLI.md, Output: a standard descriptor that is closed when cachectl starts is
/// occupied before anything else is opened. Before, the first socket became descriptor 1
/// and every line "printed" reached the server as a command, run with cachectl's
/// credentials: a key named `SET injected yes` listed with `>&-` was executed.
final class ClosedDescriptorsEndToEndTests: XCTestCase {
    static let db = "13"

    /// Keys whose names are commands, so that output reaching the server would run them.
    private func plantCanaries(_ s: RedisServer) throws {
        try s.cli(["-n", Self.db, "FLUSHDB"])
        for name in ["SET injected yes", "INCR injected:count", "canary:1", "LPUSH injected:list x"] {
            try s.cli(["-n", Self.db, "SET", name, "1"])
        }
        try s.cli(["-n", Self.db, "EXPIRE", "canary:1", "3600"])
    }

    /// The server's count of ERR replies (what a line of output sent as a command earns:
    /// unknown command, wrong arity; a first EVALSHA's NOSCRIPT is counted apart) and
    /// whether any injected command ran.
    private func serverState(_ s: RedisServer) throws -> (errors: Int, injected: Bool) {
        let stats = try s.cli(["INFO", "errorstats"])
        let errors = stats.split(whereSeparator: \.isNewline).compactMap { line -> Int? in
            guard line.hasPrefix("errorstat_ERR:"), let count = line.split(separator: "=").last else { return nil }
            return Int(count)
        }.reduce(0, +)
        let injected = try s.cli(["-n", Self.db, "EXISTS", "injected", "injected:count", "injected:list"]) != "0"
        return (errors, injected)
    }

    /// Every subcommand that talks to a server (but `watch`, which waits for a message
    /// and `lock run`, tested below), with descriptors closed one by one and all at once: the server sees only what the command sends itself (the same number of
    /// error replies as a run with every descriptor open), and a closed stdout is exit 74.
    func testNoClosedDescriptorLetsOutputReachTheServer() throws {
        let s = try RedisServer.start()
        defer { s.stop() }
        let commands = [
            "health", "health --json", "health --prometheus", "health --watch 100ms --count 2",
            "keys list '*'", "keys list '*' --json", "keys stats", "keys audit", "keys show 'SET injected yes'",
            "keys expire 'canary:*' --ttl 1h --only-missing --yes", "invalidate 'nothing:*' --yes",
            "invalidate 'canary:*' --dry-run", "cache get 'SET injected yes'", "cache set c:1 v --ttl 1m",
            "lock status job", "lock acquire job2 --ttl 5s", "lock release job --owner nobody",
            "ratelimit status rate:1", "ratelimit check rate:x --limit 5 --window 1m", "ratelimit reset rate:x --yes",
            "session list --user u1", "session revoke --user u1 --yes",
            "cache fetch cf:1 --ttl 1m -- echo 'SET injected yes'", "bench -t ping --requests 50",
            "acl health", "--version", "help", "man", "completion bash",
        ]
        for command in commands {
            let reference = try referenceRun(s, command: command)
            for closed in [">&-", "2>&-", "<&-", ">&- 2>&- <&-"] {
                try plantCanaries(s)
                let before = try serverState(s)
                let r = try ShellScript.run("( \"$CACHECTL\" -p \(s.port) -n \(Self.db) \(command) \(closed); st=$?; echo; echo \"exit $st\" >&3 ) 3>&1")
                let after = try serverState(s)
                XCTAssertFalse(after.injected, "\(command) \(closed): an injected command ran")
                XCTAssertEqual(after.errors - before.errors, reference.errors, "\(command) \(closed): the server saw other errors")
                let status = r.stdout.split(separator: "\n").last.map(String.init) ?? ""
                let stdoutClosed = closed.split(separator: " ").contains(">&-")
                // A command with nothing to print (an empty listing) has nothing to fail on.
                let expected = stdoutClosed && reference.printed ? 74 : reference.status
                XCTAssertEqual(status, "exit \(expected)", "\(command) \(closed): \(r.stderr)")
                if closed == ">&-" && reference.printed {
                    XCTAssertTrue(r.stderr.contains(": it is closed (Bad file descriptor)"), "\(command): \(r.stderr)")
                }
            }
        }
    }

    /// The run with every descriptor open: its status, whether it printed anything, and
    /// the error replies it earns by itself (a standalone server answers CLUSTER MYID
    /// with an error).
    private func referenceRun(_ s: RedisServer, command: String) throws -> (status: Int, printed: Bool, errors: Int) {
        // Once before, so that scripts are loaded (a first EVALSHA earns a NOSCRIPT).
        _ = try ShellScript.run("\"$CACHECTL\" -p \(s.port) -n \(Self.db) \(command) >/dev/null 2>&1 </dev/null")
        try plantCanaries(s)
        let before = try serverState(s)
        let r = try ShellScript.run("\"$CACHECTL\" -p \(s.port) -n \(Self.db) \(command) </dev/null")
        let after = try serverState(s)
        return (Int(r.status), !r.stdout.isEmpty, after.errors - before.errors)
    }

    /// `lock run` hands its child the occupied descriptors, never a socket: the child's
    /// stdout is the same safe stand-in (writes fail), and nothing it prints reaches Redis.
    func testLockRunChildrenInheritSafeDescriptors() throws {
        let s = try RedisServer.start()
        defer { s.stop() }
        try plantCanaries(s)
        let dir = try ShellScript.temporaryDirectory()
        let r = try ShellScript.run("""
            "$CACHECTL" -p \(s.port) -n \(Self.db) lock run job -- sh -c 'echo SET injected yes; echo "child $?" > \(dir.path)/child' >&-
            echo "exit $?"
            """)
        XCTAssertFalse(try serverState(s).injected, r.stderr)
        XCTAssertEqual(r.stdout, "exit 0\n", r.stderr)
        // The child's write failed as on a closed stdout (echo's status is not 0).
        let child = try String(contentsOf: dir.appendingPathComponent("child"), encoding: .utf8)
        XCTAssertTrue(child.hasPrefix("child ") && child != "child 0\n", child)
    }

    /// `--version` alone is answered before the command table is built: checked too.
    func testEveryDocumentationPathChecksItsWrite() throws {
        for command in ["--version", "help", "help lock", "man", "completion bash", "completion zsh", "lock --help"] {
            let r = try ShellScript.run("\"$CACHECTL\" \(command) > /dev/full; echo \"exit $?\"")
            XCTAssertEqual(r.stdout, "exit 74\n", "\(command): \(r.stderr)")
            XCTAssertEqual(r.stderr, "cachectl: error: cannot write to stdout: No space left on device; the output is incomplete\n", command)
        }
    }
}
