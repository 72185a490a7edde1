import XCTest
import Foundation
import TestSupport

/// `cachectl lock` as scripts use it: exit codes, stdout/stderr, and `lock run`'s
/// promises (mutual exclusion, lost-lock stop, fencing tokens, pass-through status).
final class LockEndToEndTests: XCTestCase {
    static let db = "13"

    // MARK: lock run

    /// 20 processes each do 10 read-increment-write cycles on one file with a pause in
    /// between: without mutual exclusion updates get lost and the count ends below 200.
    func testTwentyConcurrentRunsNeverOverlap() throws {
        let s = try RedisServer.shared.get()
        let dir = try ShellScript.temporaryDirectory()
        let counter = dir.appendingPathComponent("counter").path
        try "0\n".write(toFile: counter, atomically: true, encoding: .utf8)
        let name = lockName("mutex")
        let r = try ShellScript.run("""
            cycle='i=0; while [ $i -lt 10 ]; do read v < "$1"; sleep 0.001; echo $((v + 1)) > "$1"; i=$((i + 1)); done'
            for n in $(seq 1 20); do
              "$CACHECTL" -p \(s.port) -n \(Self.db) lock run \(name) --ttl 10s --wait 60s -- sh -c "$cycle" sh "\(counter)" || echo "run failed: $?" &
            done
            wait
            """, timeout: 90)
        XCTAssertEqual(r.stdout, "", r.stderr)
        XCTAssertEqual(try String(contentsOfFile: counter, encoding: .utf8), "200\n")
        XCTAssertEqual(try redis(s, "EXISTS", "lock:\(name)"), "0", "every run released the lock")
    }

    func testLostLockStopsTheCommandWithinARenewalIntervalAndLeavesTheNewOwnerAlone() throws {
        let s = try RedisServer.shared.get()
        let name = lockName("lost")
        let (run, childPid, stoppedAfter) = try runDisrupted(["-p", "\(s.port)", "-n", Self.db, "lock", "run", name, "--ttl", "2s"]) {
            try redis(s, "SET", "lock:\(name)", "other-owner:1:zzz", "PX", "60000")
        }

        XCTAssertEqual(run.process.terminationStatus, 3, run.stderr())
        // Renewals come every ttl/3 (667 ms); allow for process start-up and a loaded machine.
        XCTAssertLessThan(stoppedAfter, 0.667 + 0.8, "stopped \(stoppedAfter)s after the takeover")
        XCTAssertEqual(kill(childPid, 0), -1, "the command is no longer running")
        XCTAssertTrue(run.stderr().contains("lost lock:\(name)"), run.stderr())
        XCTAssertEqual(try redis(s, "GET", "lock:\(name)"), "other-owner:1:zzz")
        XCTAssertGreaterThan(Int(try redis(s, "PTTL", "lock:\(name)")) ?? 0, 55_000, "its TTL is untouched")
    }

    /// A server that stops answering cannot confirm the lock: once its TTL has run out the
    /// command must be stopped, since another host may now hold it.
    func testAnUnreachableServerStopsTheCommandWhenTheTTLRunsOut() throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let (run, childPid, stoppedAfter) = try runDisrupted(["-p", "\(server.port)", "lock", "run", lockName("unreachable"), "--ttl", "1s"]) {
            try server.cli(["CLIENT", "PAUSE", "4000"])
        }
        XCTAssertEqual(run.process.terminationStatus, 3, run.stderr())
        XCTAssertLessThan(stoppedAfter, 1 + 0.8, "the TTL is 1s; stopped \(stoppedAfter)s after the server went quiet")
        XCTAssertEqual(kill(childPid, 0), -1, "the command is no longer running")
        XCTAssertTrue(run.stderr().contains("no renewal succeeded"), run.stderr())
    }

    func testACommandIgnoringSIGTERMIsKilledAfterKillAfter() throws {
        let s = try RedisServer.shared.get()
        let name = lockName("kill")
        let r = try ShellScript.run("""
            ( sleep 0.4; redis-cli -p \(s.port) -n \(Self.db) del lock:\(name) > /dev/null ) &
            "$CACHECTL" -p \(s.port) -n \(Self.db) lock run \(name) --ttl 600ms --kill-after 300ms --lost-exit-code 9 -- \
              sh -c 'trap "" TERM; sleep 30'
            echo "status $?"
            """)
        XCTAssertEqual(r.stdout, "status 9\n", r.stderr)
        XCTAssertTrue(r.stderr.contains("SIGKILL after 300ms"), r.stderr)
    }

    func testMaxHoldStopsTheCommandAndReleasesTheLock() throws {
        let s = try RedisServer.shared.get()
        let name = lockName("max-hold")
        let r = try Cachectl.run(["-p", "\(s.port)", "-n", Self.db, "lock", "run", name, "--ttl", "5s", "--max-hold", "300ms",
                                  "--", "sleep", "30"])
        XCTAssertEqual(r.exitCode, 3, r.stderr)
        XCTAssertLessThan(r.elapsed, 3)
        XCTAssertTrue(r.stderr.contains("--max-hold passed"), r.stderr)
        XCTAssertEqual(try redis(s, "EXISTS", "lock:\(name)"), "0")
    }

    func testFencingTokensGrowWithEveryGrantAndTheCommandSeesThem() throws {
        let s = try RedisServer.shared.get()
        let name = lockName("token")
        var tokens: [Int] = []
        for _ in 0..<3 {
            let r = try Cachectl.run(["-p", "\(s.port)", "-n", Self.db, "lock", "run", name, "--ttl", "5s", "--",
                                      "sh", "-c", "echo \"$CACHECTL_LOCK_KEY $CACHECTL_LOCK_OWNER $CACHECTL_LOCK_TOKEN\""])
            XCTAssertEqual(r.exitCode, 0, r.stderr)
            let fields = r.stdout.split(separator: " ").map(String.init)
            XCTAssertEqual(fields.count, 3, r.stdout)
            XCTAssertEqual(fields.first, "lock:\(name)")
            XCTAssertEqual(fields[1].split(separator: ":").count, 3, "owner host:pid:random, got \(fields[1])")
            tokens.append(Int(fields.last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? -1)
        }
        XCTAssertEqual(tokens, tokens.sorted())
        XCTAssertEqual(Set(tokens).count, 3, "strictly increasing: \(tokens)")
        XCTAssertEqual(try redis(s, "GET", "fence:{lock:\(name)}"), "\(tokens.last ?? 0)")
    }

    /// The command ran to the end, but the lock was gone by then (deleted before any
    /// renewal could notice): its 0 would claim a run under the lock that did not happen.
    func testALockFoundLostAtTheFinalReleaseExitsWithTheLostCode() throws {
        let s = try RedisServer.shared.get()
        let name = lockName("lost-at-end")
        let r = try Cachectl.run(["-p", "\(s.port)", "-n", Self.db, "lock", "run", name, "--ttl", "30s", "--lost-exit-code", "9", "--",
                                  "redis-cli", "-p", "\(s.port)", "-n", Self.db, "DEL", "lock:\(name)"])
        XCTAssertEqual(r.exitCode, 9, r.stderr)
        XCTAssertTrue(r.stderr.contains("no longer ours when the command ended"), r.stderr)
    }

    func testTheCommandsExitStatusPassesThrough() throws {
        let s = try RedisServer.shared.get()
        let name = lockName("status")
        for code in [0, 1, 42] {
            let r = try Cachectl.run(["-p", "\(s.port)", "-n", Self.db, "lock", "run", name, "--", "sh", "-c", "exit \(code)"])
            XCTAssertEqual(r.exitCode, Int32(code), r.stderr)
            XCTAssertEqual(r.stderr, "")
        }
        let killed = try Cachectl.run(["-p", "\(s.port)", "-n", Self.db, "lock", "run", name, "--", "sh", "-c", "kill -TERM $$"])
        XCTAssertEqual(killed.exitCode, 143, "128 + the signal that ended it")
        XCTAssertEqual(try redis(s, "EXISTS", "lock:\(name)"), "0")
    }

    func testAConflictNeverRunsTheCommand() throws {
        let s = try RedisServer.shared.get()
        let dir = try ShellScript.temporaryDirectory()
        let marker = dir.appendingPathComponent("ran").path
        let name = lockName("conflict")
        try redis(s, "SET", "lock:\(name)", "node1:1234:abc123", "PX", "30000")
        let r = try Cachectl.run(["-p", "\(s.port)", "-n", Self.db, "lock", "run", name, "--", "touch", marker])
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker))
        XCTAssertTrue(r.stderr.contains("held by node1:1234:abc123"), r.stderr)
        let waited = try Cachectl.run(["-p", "\(s.port)", "-n", Self.db, "lock", "run", name, "--wait", "300ms",
                                       "--conflict-exit-code", "75", "--", "touch", marker])
        XCTAssertEqual(waited.exitCode, 75)
        XCTAssertGreaterThanOrEqual(waited.elapsed, 0.3)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker))
        XCTAssertEqual(try redis(s, "GET", "lock:\(name)"), "node1:1234:abc123")
    }

    func testExitCodesOutside0To255AreRefused() throws {
        for args in [["--conflict-exit-code", "256"], ["--lost-exit-code", "-1"]] {
            let r = try Cachectl.run(["lock", "run", "x"] + args + ["--", "true"])
            XCTAssertEqual(r.exitCode, 64, r.stderr)
            XCTAssertTrue(r.stderr.contains("0 to 255"), r.stderr)
        }
    }

    func testMissingOrUnexecutableCommands() throws {
        let s = try RedisServer.shared.get()
        let name = lockName("exec")
        let missing = try Cachectl.run(["-p", "\(s.port)", "-n", Self.db, "lock", "run", name, "--", "no-such-command-\(UUID().uuidString)"])
        XCTAssertEqual(missing.exitCode, 127)
        XCTAssertTrue(missing.stderr.contains("command not found"), missing.stderr)
        let dir = try ShellScript.temporaryDirectory()
        let notExecutable = dir.appendingPathComponent("plain").path
        try "echo hi\n".write(toFile: notExecutable, atomically: true, encoding: .utf8)
        let denied = try Cachectl.run(["-p", "\(s.port)", "-n", Self.db, "lock", "run", name, "--", notExecutable])
        XCTAssertEqual(denied.exitCode, 126, denied.stderr)
        XCTAssertEqual(try redis(s, "EXISTS", "lock:\(name)"), "0", "the lock is given back")
    }

    func testSignalsAreForwardedToTheCommand() throws {
        let s = try RedisServer.shared.get()
        for (signal, code) in [(SIGTERM, 7), (SIGINT, 8), (SIGHUP, 9), (SIGQUIT, 10)] {
            let dir = try ShellScript.temporaryDirectory()
            let ready = dir.appendingPathComponent("ready").path
            let name = lockName("signal")
            let run = try start(["-p", "\(s.port)", "-n", Self.db, "lock", "run", name, "--ttl", "5s", "--",
                                 "sh", "-c", "trap 'exit \(code)' \([SIGTERM: "TERM", SIGINT: "INT", SIGHUP: "HUP", SIGQUIT: "QUIT"][signal] ?? ""); echo $$ > \(ready); while :; do sleep 0.05; done"])
            _ = try waitForPid(ready)
            kill(run.process.processIdentifier, signal)
            run.process.waitUntilExit()
            XCTAssertEqual(run.process.terminationStatus, Int32(code), "signal \(signal): \(run.stderr())")
            XCTAssertEqual(try redis(s, "EXISTS", "lock:\(name)"), "0")
        }
    }

    // MARK: acquire, release, extend, status

    func testAcquireReleaseExtendStatusCycle() throws {
        let s = try RedisServer.shared.get()
        let name = lockName("cycle")
        let base = ["-p", "\(s.port)", "-n", Self.db, "lock"]
        let acquired = try Cachectl.run(base + ["acquire", name, "--ttl", "30s"])
        XCTAssertEqual(acquired.exitCode, 0, acquired.stderr)
        let owner = acquired.stdout.trimmingCharacters(in: .newlines)
        XCTAssertEqual(try redis(s, "GET", "lock:\(name)"), owner, "stdout carries the owner, and the key holds it")

        let busy = try Cachectl.run(base + ["acquire", name, "--ttl", "30s"])
        XCTAssertEqual(busy.exitCode, 1)
        XCTAssertEqual(busy.stdout, "")
        XCTAssertTrue(busy.stderr.contains("held by \(owner)") && busy.stderr.contains("expires in"), busy.stderr)

        let status = try Cachectl.run(base + ["status", name, "--json"])
        XCTAssertEqual(status.exitCode, 0)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: status.stdoutBytes) as? [String: Any])
        XCTAssertEqual(object["locked"] as? Bool, true)
        XCTAssertEqual(object["owner"] as? String, owner)
        XCTAssertEqual(object["ttl"] as? Int, 30)
        XCTAssertGreaterThan(object["ttlMs"] as? Int ?? 0, 29_000)

        let wrongRelease = try Cachectl.run(base + ["release", name, "--owner", "someone-else"])
        XCTAssertEqual(wrongRelease.exitCode, 1)
        XCTAssertTrue(wrongRelease.stderr.contains("nothing was changed"), wrongRelease.stderr)
        let wrongExtend = try Cachectl.run(base + ["extend", name, "--owner", "someone-else", "--ttl", "1h"])
        XCTAssertEqual(wrongExtend.exitCode, 1)
        XCTAssertEqual(try redis(s, "GET", "lock:\(name)"), owner)
        XCTAssertLessThanOrEqual(Int(try redis(s, "PTTL", "lock:\(name)")) ?? .max, 30_000)

        XCTAssertEqual(try Cachectl.run(base + ["extend", name, "--owner", owner, "--ttl", "1h"]).exitCode, 0)
        XCTAssertGreaterThan(Int(try redis(s, "PTTL", "lock:\(name)")) ?? 0, 3_500_000)
        XCTAssertEqual(try Cachectl.run(base + ["release", name, "--owner", owner]).exitCode, 0)
        let free = try Cachectl.run(base + ["status", name, "--json"])
        XCTAssertEqual(free.exitCode, 1)
        XCTAssertEqual(free.stdout, "{\"locked\":false,\"owner\":null,\"ttl\":null,\"ttlMs\":null,\"key\":\"lock:\(name)\"}\n")
        XCTAssertEqual(try Cachectl.run(base + ["release", name, "--owner", owner]).exitCode, 1, "releasing twice is a no")
    }

    func testJSONOfAcquireReleaseAndExtend() throws {
        let s = try RedisServer.shared.get()
        let name = lockName("json")
        let base = ["-p", "\(s.port)", "-n", Self.db, "lock"]
        func json(_ args: [String], exit: Int32) throws -> [String: Any] {
            let r = try Cachectl.run(base + args + ["--json"])
            XCTAssertEqual(r.exitCode, exit, "\(args): \(r.stderr)")
            // stderr is the same in every mode: at most the one line saying why the answer is no.
            XCTAssertLessThanOrEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
            XCTAssertTrue(r.stderr.isEmpty || (r.stderr.hasPrefix("cachectl: ") && exit == 1), r.stderr)
            return try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdoutBytes) as? [String: Any])
        }
        let granted = try json(["acquire", name, "--ttl", "20s", "--owner", "ci:42:job7"], exit: 0)
        XCTAssertEqual(granted["acquired"] as? Bool, true)
        XCTAssertEqual(granted["owner"] as? String, "ci:42:job7")
        XCTAssertEqual(granted["key"] as? String, "lock:\(name)")
        XCTAssertEqual(granted["ttlMs"] as? Int, 20_000)
        XCTAssertNotNil(granted["token"] as? Int)
        let refused = try json(["acquire", name], exit: 1)
        XCTAssertEqual(refused["acquired"] as? Bool, false)
        XCTAssertEqual(refused["heldBy"] as? String, "ci:42:job7")
        XCTAssertGreaterThan(refused["ttlMs"] as? Int ?? 0, 19_000)
        let notExtended = try json(["extend", name, "--owner", "other", "--ttl", "1m"], exit: 1)
        XCTAssertEqual(notExtended["extended"] as? Bool, false)
        XCTAssertEqual(notExtended["heldBy"] as? String, "ci:42:job7")
        let extended = try json(["extend", name, "--owner", "ci:42:job7", "--ttl", "1m"], exit: 0)
        XCTAssertEqual(extended["extended"] as? Bool, true)
        XCTAssertEqual(extended["ttlMs"] as? Int, 60_000)
        let released = try json(["release", name, "--owner", "ci:42:job7"], exit: 0)
        XCTAssertEqual(released["released"] as? Bool, true)
        let again = try json(["release", name, "--owner", "ci:42:job7"], exit: 1)
        XCTAssertEqual(again["released"] as? Bool, false)
        XCTAssertTrue(again["heldBy"] is NSNull, "\(again)")
    }

    func testForceReleaseNeedsConfirmation() throws {
        let s = try RedisServer.shared.get()
        let name = lockName("force")
        let base = ["-p", "\(s.port)", "-n", Self.db, "lock", "release", name, "--force"]
        try redis(s, "SET", "lock:\(name)", "stuck-owner", "PX", "60000")
        let unconfirmed = try Cachectl.run(base)
        XCTAssertEqual(unconfirmed.exitCode, 64)
        XCTAssertTrue(unconfirmed.stderr.contains("--yes"), unconfirmed.stderr)
        XCTAssertEqual(try redis(s, "GET", "lock:\(name)"), "stuck-owner")
        let forced = try Cachectl.run(base + ["--yes"])
        XCTAssertEqual(forced.exitCode, 0, forced.stderr)
        XCTAssertTrue(forced.stdout.contains("was held by stuck-owner"), forced.stdout)
        XCTAssertEqual(try redis(s, "EXISTS", "lock:\(name)"), "0")
        let free = try Cachectl.run(base + ["--yes"])
        XCTAssertEqual(free.exitCode, 1, "nothing to break")
        XCTAssertEqual(free.stderr, "cachectl: lock:\(name) is free; nothing to break\n")
        XCTAssertEqual(free.stdout, "")
        let freeJSON = try Cachectl.run(base + ["--yes", "--json"])
        XCTAssertEqual(freeJSON.exitCode, 1)
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(freeJSON.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(document["released"] as? Bool, false)
        XCTAssertTrue(document["heldBy"] is NSNull, "\(document)")
        XCTAssertEqual(try Cachectl.run(["lock", "release", name]).exitCode, 64, "--owner or --force is required")
    }

    func testPrefixAppliesToTheLockAndItsFence() throws {
        let s = try RedisServer.shared.get()
        let name = lockName("prefix")
        let r = try Cachectl.run(["-p", "\(s.port)", "-n", Self.db, "--prefix", "app:", "lock", "run", name, "--",
                                  "sh", "-c", "echo $CACHECTL_LOCK_KEY"])
        XCTAssertEqual(r.stdout, "app:lock:\(name)\n", r.stderr)
        XCTAssertEqual(try redis(s, "EXISTS", "app:fence:{app:lock:\(name)}"), "1")
    }

    // MARK: Helpers

    private func lockName(_ label: String) -> String { "e2e-\(label)-\(UUID().uuidString.prefix(8))" }

    @discardableResult
    private func redis(_ s: RedisServer, _ args: String...) throws -> String {
        try s.cli(["-n", Self.db] + args)
    }

    struct Started {
        let process: Process
        let errFile: URL
        func stderr() -> String { (try? String(contentsOf: errFile, encoding: .utf8)) ?? "" }
    }

    /// Starts cachectl without waiting for it.
    private func start(_ arguments: [String]) throws -> Started {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Cachectl.binaryPath)
        p.arguments = arguments
        let err = try ShellScript.temporaryDirectory().appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        p.standardError = try FileHandle(forWritingTo: err)
        p.standardOutput = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        addTeardownBlock { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        return Started(process: p, errFile: err)
    }

    /// Runs `cachectl ARGUMENTS -- sh` (a command that writes its pid and sleeps), calls
    /// `disrupt` once the command runs, and waits for cachectl to end: the run, the
    /// command's pid, and the seconds from `disrupt` to cachectl's end.
    private func runDisrupted(_ arguments: [String], disrupt: () throws -> Void)
        throws -> (run: Started, childPid: pid_t, stoppedAfter: TimeInterval) {
        let pidFile = try ShellScript.temporaryDirectory().appendingPathComponent("pid").path
        let run = try start(arguments + ["--", "sh", "-c", "echo $$ > \(pidFile); exec sleep 30"])
        let childPid = try waitForPid(pidFile)
        try disrupt()
        let disruptedAt = Date()
        run.process.waitUntilExit()
        return (run, childPid, Date().timeIntervalSince(disruptedAt))
    }

    /// Waits until the command under `lock run` has written its pid.
    private func waitForPid(_ path: String) throws -> pid_t {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: path, encoding: .utf8), let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                return pid
            }
            usleep(10_000)
        }
        throw XCTSkip("the command never started")
    }
}
