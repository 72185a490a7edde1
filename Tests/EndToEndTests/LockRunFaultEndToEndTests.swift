import XCTest
import Foundation
import TestSupport

/// `lock run` when cachectl itself is killed or stopped: the command's whole process group
/// must be gone before the lock's TTL runs out, so a second holder never overlaps it.
final class LockRunFaultEndToEndTests: XCTestCase {
    static let db = "13"

    /// A worker that logs "LABEL start NS" and, on SIGTERM, "LABEL end NS" (nanoseconds
    /// since the epoch) before leaving; with `ignore` it ignores SIGTERM instead.
    private func worker(_ dir: URL, ignoreTerm: Bool) throws -> String {
        let path = dir.appendingPathComponent(ignoreTerm ? "stubborn.sh" : "worker.sh").path
        let trap = ignoreTerm ? "trap '' TERM" : "trap 'echo \"$2 end $(date +%s%N)\" >> \"$1\"; exit 0' TERM"
        try """
            #!/bin/sh
            \(trap)
            echo "$2 start $(date +%s%N)" >> "$1"
            echo "$2 pid $$" >> "$1"
            i=0; while [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
            """.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    /// SIGKILL of cachectl: the watchdog stops the group (the worker is a grandchild, out of
    /// reach of the parent-death signal), and a second `lock run` that waits starts only
    /// after the first worker ended.
    func testSIGKILLOfCachectlStopsTheGroupAndASecondRunNeverOverlaps() throws {
        let s = try RedisServer.shared.get()
        let dir = try ShellScript.temporaryDirectory()
        let log = dir.appendingPathComponent("log").path
        let script = try worker(dir, ignoreTerm: false)
        let name = "e2e-sigkill-\(UUID().uuidString.prefix(8))"
        let first = try start(["-p", "\(s.port)", "-n", Self.db, "lock", "run", name, "--ttl", "2s", "--",
                               "sh", "-c", "\"$0\" \"$1\" first & wait", script, log])
        let workerPid = try waitForLine(log, "first pid").flatMap { pid_t($0) } ?? 0
        XCTAssertGreaterThan(workerPid, 0)
        kill(first.process.processIdentifier, SIGKILL)
        let killedAt = Date()
        first.process.waitUntilExit()

        let second = try start(["-p", "\(s.port)", "-n", Self.db, "lock", "run", name, "--ttl", "2s", "--wait", "10s", "--",
                                "sh", "-c", "echo \"second start $(date +%s%N)\" >> \"$0\"; echo \"second end $(date +%s%N)\" >> \"$0\"", log])
        let goneAfter = try waitUntilDead(workerPid, since: killedAt)
        XCTAssertLessThan(goneAfter, 2, "the worker lived \(goneAfter)s after cachectl was killed; the TTL is 2s")
        second.process.waitUntilExit()
        XCTAssertEqual(second.process.terminationStatus, 0)

        let lines = try String(contentsOfFile: log, encoding: .utf8)
        let firstEnd = try XCTUnwrap(stamp(lines, "first end"), lines)
        let secondStart = try XCTUnwrap(stamp(lines, "second start"), lines)
        XCTAssertLessThan(firstEnd, secondStart, "the second holder started before the first one's command ended:\n\(lines)")
        XCTAssertEqual(try s.cli(["-n", Self.db, "EXISTS", "lock:\(name)"]), "0")
    }

    /// A command that ignores SIGTERM, with a --kill-after longer than the TTL: the
    /// watchdog's SIGKILL comes before the lease can run out, not after --kill-after.
    func testAfterSIGKILLAStubbornGroupIsKilledBeforeTheTTLRunsOut() throws {
        let s = try RedisServer.shared.get()
        let dir = try ShellScript.temporaryDirectory()
        let log = dir.appendingPathComponent("log").path
        let script = try worker(dir, ignoreTerm: true)
        let name = "e2e-stubborn-\(UUID().uuidString.prefix(8))"
        let first = try start(["-p", "\(s.port)", "-n", Self.db, "lock", "run", name, "--ttl", "2s", "--kill-after", "60s", "--",
                               "sh", "-c", "trap '' TERM; \"$0\" \"$1\" first & wait", script, log])
        let workerPid = try waitForLine(log, "first pid").flatMap { pid_t($0) } ?? 0
        XCTAssertGreaterThan(workerPid, 0)
        kill(first.process.processIdentifier, SIGKILL)
        let killedAt = Date()
        let ttlLeft = Double(try s.cli(["-n", Self.db, "PTTL", "lock:\(name)"])) ?? 0
        XCTAssertGreaterThan(ttlLeft, 0)
        let goneAfter = try waitUntilDead(workerPid, since: killedAt)
        XCTAssertLessThan(goneAfter, ttlLeft / 1000, "the lock had \(ttlLeft)ms left when cachectl died; the worker lived \(goneAfter)s")
        XCTAssertEqual(try s.cli(["-n", Self.db, "EXISTS", "lock:\(name)"]), "1", "the group went while the lock still stood")
    }

    // MARK: Job control

    /// Ctrl-Z reaching cachectl (SIGTSTP) stops the command and cachectl with it, so the
    /// shell sees the job stopped; SIGCONT (`fg`, `bg`) resumes both.
    func testSIGTSTPSuspendsTheCommandWithCachectlAndSIGCONTResumesIt() throws {
        let s = try RedisServer.shared.get()
        let r = try jobControlRun(s, ttl: "5s", stopFor: "1", takeOver: false)
        XCTAssertEqual(r.stdout, "stopped T T\nstill T T\nfinished\nexit 0\n", r.stderr)
    }

    /// A job suspended past its TTL does not keep the lock: once continued, cachectl finds
    /// it lost and ends the command (lost-lock code) before it can run again.
    func testAJobSuspendedPastItsTTLIsNotResumedWithoutTheLock() throws {
        let s = try RedisServer.shared.get()
        let r = try jobControlRun(s, ttl: "1s", stopFor: "1.5", takeOver: true)
        XCTAssertEqual(r.stdout, "stopped T T\nstill T T\nexit 3\n", r.stderr)
        XCTAssertTrue(r.stderr.contains("lost lock:"), r.stderr)
    }

    /// Runs a command that needs a second of work under `lock run`, stops cachectl with
    /// SIGTSTP, reports both processes' states, optionally lets another owner take the
    /// lock, and continues cachectl.
    private func jobControlRun(_ s: RedisServer, ttl: String, stopFor: String, takeOver: Bool) throws -> ShellScript.Result {
        let dir = try ShellScript.temporaryDirectory()
        let pidFile = dir.appendingPathComponent("pid").path
        let name = "e2e-tstp-\(UUID().uuidString.prefix(8))"
        return try ShellScript.run("""
            state() { cut -d')' -f2 /proc/$1/stat 2>/dev/null | cut -d' ' -f2; }
            "$CACHECTL" -p \(s.port) -n \(Self.db) lock run \(name) --ttl \(ttl) -- \
              sh -c 'echo $$ > "$0"; i=0; while [ $i -lt 20 ]; do sleep 0.05; i=$((i + 1)); done; echo finished' \(pidFile) &
            cachectl=$!
            while [ ! -s \(pidFile) ]; do sleep 0.01; done
            child=$(cat \(pidFile))
            kill -TSTP $cachectl; sleep 0.3
            echo "stopped $(state $cachectl) $(state $child)"
            sleep \(stopFor)
            echo "still $(state $cachectl) $(state $child)"
            \(takeOver ? "redis-cli -p \(s.port) -n \(Self.db) SET lock:\(name) other PX 10000 > /dev/null" : "")
            kill -CONT $cachectl
            wait $cachectl
            echo "exit $?"
            """, timeout: 30)
    }

    // MARK: Helpers

    private struct Started {
        let process: Process
    }

    private func start(_ arguments: [String]) throws -> Started {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Cachectl.binaryPath)
        p.arguments = arguments
        p.standardError = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        addTeardownBlock { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        return Started(process: p)
    }

    /// The rest of the first line of `path` that starts with `prefix`, once it exists.
    private func waitForLine(_ path: String, _ prefix: String) throws -> String? {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix + " ") }) {
                return String(line.dropFirst(prefix.count + 1))
            }
            usleep(10_000)
        }
        throw XCTSkip("the command never started")
    }

    private func stamp(_ lines: String, _ prefix: String) -> Int? {
        lines.split(separator: "\n").first { $0.hasPrefix(prefix + " ") }.flatMap { Int($0.dropFirst(prefix.count + 1)) }
    }

    /// Seconds from `since` until `pid` no longer runs (gone, or a zombie nobody reaped:
    /// in a container PID 1 may never reap it, and a zombie does no work).
    private func waitUntilDead(_ pid: pid_t, since: Date) throws -> TimeInterval {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return Date().timeIntervalSince(since) }
            let state = stat[stat.index(close, offsetBy: 2)]
            if state == "Z" || state == "X" { return Date().timeIntervalSince(since) }
            usleep(5_000)
        }
        return .infinity
    }
}
