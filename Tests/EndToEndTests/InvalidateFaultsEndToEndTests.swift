import XCTest
import Foundation
import TestSupport
import RedisClient
import CLI
import CacheOps

/// `invalidate`'s counters under faults (SIGINT, a server killed, an error reply mid-pipeline)
/// add up against the server's own DBSIZE; tag sets tolerate concurrent adds; stops a rerun
/// cannot fix say what must change.
final class InvalidateFaultsEndToEndTests: XCTestCase {
    private static let many = 150_000

    private func seedMany(_ conn: RedisConnection, prefix: String) throws {
        let keys = (0..<Self.many).map { Array("\(prefix)\($0)".utf8) }
        for start in stride(from: 0, to: keys.count, by: 10_000) {
            try AwkwardKeys.seed(conn, Array(keys[start..<min(start + 10_000, keys.count)]))
        }
    }

    private func dbsize(_ conn: RedisConnection) throws -> Int {
        Int(try XCTUnwrap(try conn.command("DBSIZE").int))
    }

    /// scanned ≥ matched ≥ deleted, and `deleted` is the drop in DBSIZE (or, when replies were
    /// lost with the connection, a lower bound off by at most `deletedUnconfirmed`).
    private func assertCountersAddUp(_ summary: [String: Any], drop: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        let scanned = try XCTUnwrap(summary["scanned"] as? Int, file: file, line: line)
        let matched = try XCTUnwrap(summary["matched"] as? Int, file: file, line: line)
        let deleted = try XCTUnwrap(summary["deleted"] as? Int, file: file, line: line)
        let unconfirmed = try XCTUnwrap(summary["deletedUnconfirmed"] as? Int, file: file, line: line)
        XCTAssertGreaterThanOrEqual(scanned, matched, "\(summary)", file: file, line: line)
        XCTAssertGreaterThanOrEqual(matched, deleted, "\(summary)", file: file, line: line)
        XCTAssertGreaterThan(deleted, 0, "\(summary)", file: file, line: line)
        XCTAssertLessThanOrEqual(deleted, drop, "\(summary)", file: file, line: line)
        XCTAssertLessThanOrEqual(drop, deleted + unconfirmed, "\(summary)", file: file, line: line)
    }

    func testCountersAddUpWhenInterruptedOn150kKeys() throws {
        let (conn, args) = try keyspaceDatabase(14)
        try seedMany(conn, prefix: "c:")
        let r = try runInterrupted(args + ["invalidate", "c:*", "--yes", "--json", "--rate", "150000"], signal: SIGINT, after: 0.5)
        XCTAssertEqual(r.exitCode, 130, r.stderr)
        let summary = try jsonObject(r.stdout)
        XCTAssertEqual(summary["stopped"] as? String, "interrupted")
        XCTAssertEqual(summary["deletedUnconfirmed"] as? Int, 0, "nothing is left unread after SIGINT")
        let drop = Self.many - (try dbsize(conn))
        XCTAssertEqual(summary["deleted"] as? Int, drop, "deleted is the drop in DBSIZE")
        try assertCountersAddUp(summary, drop: drop)
    }

    func testCountersAddUpWhenTheServerIsKilledOn150kKeys() throws {
        // Every write reaches the append-only file before its reply leaves, so after a
        // SIGKILL the restarted server holds exactly what was done.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cachectl-aof-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let persistence = ["--dir", dir.path, "--appendonly", "yes", "--appendfsync", "always"]
        let server = try RedisServer.start(extraArguments: persistence)
        let conn = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: server.host, port: server.port)))
        try seedMany(conn, prefix: "k:")
        let info = try XCTUnwrap(try conn.command("INFO", "server").string)
        let pid = try XCTUnwrap(info.split(whereSeparator: \.isNewline).first { $0.hasPrefix("process_id:") }
            .flatMap { Int32($0.dropFirst("process_id:".count).trimmingCharacters(in: .whitespaces)) })
        let killer = Thread {
            Thread.sleep(forTimeInterval: 0.5)
            kill(pid, SIGKILL)
        }
        killer.start()
        let r = try Cachectl.run(["-p", "\(server.port)", "invalidate", "k:*", "--yes", "--json", "--rate", "150000"], timeout: 30)
        XCTAssertEqual(r.exitCode, 69, r.stderr)
        let summary = try jsonObject(r.stdoutBytes)
        XCTAssertEqual(summary["stopped"] as? String, "error")
        server.stop()
        let restarted = try RedisServer.start(extraArguments: persistence)
        defer { restarted.stop() }
        let after = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: restarted.host, port: restarted.port)))
        var left: Int?
        for _ in 0..<200 where left == nil {
            do { left = try after.command("DBSIZE").int.map(Int.init) } catch { Thread.sleep(forTimeInterval: 0.05) }   // LOADING the AOF
        }
        try assertCountersAddUp(summary, drop: Self.many - (try XCTUnwrap(left)))
    }

    func testErrorReplyMidPipelineStillCountsEveryBatchSent() throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let admin = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: server.host, port: server.port)))
        // The user may delete keys under 'a:' only: the one batch holding 'ax' is refused.
        try admin.command("ACL", "SETUSER", "cleaner", "on", ">pw-cleaner", "~a:*", "+@keyspace", "+@connection", "+command", "+scan")
        let total = 5000
        try AwkwardKeys.seed(admin, (0..<total).map { Array("a:\($0)".utf8) } + [Array("ax".utf8)])
        let r = try Cachectl.run(["-u", "redis://cleaner:pw-cleaner@127.0.0.1:\(server.port)", "invalidate", "a*",
                                  "--yes", "--json", "--batch", "50", "--count", "400"])
        XCTAssertEqual(r.exitCode, 77, r.stderr)
        XCTAssertTrue(r.stderr.contains("NOPERM"), r.stderr)
        XCTAssertTrue(r.stderr.contains("the ACL user needs ~a*"), r.stderr)
        let summary = try jsonObject(r.stdoutBytes)
        let drop = total + 1 - (try dbsize(admin))
        XCTAssertEqual(summary["deleted"] as? Int, drop, "batches sent before and after the refused one are counted")
        XCTAssertEqual(summary["deletedUnconfirmed"] as? Int, 0)
        let human = try Cachectl.run(["-u", "redis://cleaner:pw-cleaner@127.0.0.1:\(server.port)", "invalidate", "a*", "--yes"])
        XCTAssertTrue(human.stdout.contains("a rerun will not help"), human.stdout)
        XCTAssertFalse(human.stdout.contains("rerun to finish"), human.stdout)
    }

    func testStopsARerunCannotFixSayWhatMustChange() throws {
        let (conn, args) = try keyspaceDatabase(14)
        try conn.command("SET", "tag:notaset", "v")
        let wrongType = try Cachectl.run(args + ["invalidate", "--tag", "notaset", "--yes"])
        XCTAssertEqual(wrongType.exitCode, 2, wrongType.stderr)
        XCTAssertTrue(wrongType.stdout.contains("not a set (WRONGTYPE); a rerun will not help"), wrongType.stdout)
        XCTAssertTrue(wrongType.stderr.contains("--tag-key"), wrongType.stderr)

        let primary = try RedisServer.start()
        defer { primary.stop() }
        let replica = try RedisServer.start(extraArguments: ["--replicaof", primary.host, "\(primary.port)"])
        defer { replica.stop() }
        let p = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: primary.host, port: primary.port)))
        try AwkwardKeys.seed(p, (0..<10).map { Array("r:\($0)".utf8) })
        let r = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: replica.host, port: replica.port)))
        for _ in 0..<100 where try dbsize(r) < 10 { Thread.sleep(forTimeInterval: 0.05) }
        let readOnly = try Cachectl.run(["-p", "\(replica.port)", "invalidate", "r:*", "--yes"])
        XCTAssertEqual(readOnly.exitCode, 2, readOnly.stderr)
        XCTAssertTrue(readOnly.stdout.contains("read-only replica (READONLY); a rerun will not help"), readOnly.stdout)
        XCTAssertTrue(readOnly.stderr.contains("connect to the primary"), readOnly.stderr)
    }

    func testDryRunOfEverythingNeedsNoForce() throws {
        let (conn, args) = try keyspaceDatabase(14)
        try AwkwardKeys.seed(conn, (0..<5).map { Array("d:\($0)".utf8) })
        let dry = try Cachectl.run(args + ["invalidate", "*", "--dry-run", "--json"])
        XCTAssertEqual(dry.exitCode, 0, dry.stderr)
        XCTAssertEqual(try jsonObject(dry.stdoutBytes)["matched"] as? Int, 5)
        let real = try Cachectl.run(args + ["invalidate", "*", "--yes"])
        XCTAssertEqual(real.exitCode, 64)
        XCTAssertTrue(real.stderr.contains("--force"), real.stderr)
        XCTAssertEqual(try dbsize(conn), 5)
    }

    /// The application writes the key, then tags it, while `invalidate --tag` runs: at the
    /// end every key ever tagged is either gone or still listed in the set.
    func testTagSetReceivingAddsDuringTheRunOrphansNothing() throws {
        let (conn, args) = try keyspaceDatabase(14)
        let s = try RedisServer.shared.get()
        let initial = (0..<20_000).map { Array("t:old:\($0)".utf8) }
        try AwkwardKeys.seed(conn, initial)
        for start in stride(from: 0, to: initial.count, by: 5000) {
            try conn.command([Array("SADD".utf8), Array("tag:busy".utf8)] + initial[start..<(start + 5000)])
        }
        let writerConfig = ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port), database: 14)
        let added = (0..<3000).map { Array("t:new:\($0)".utf8) }
        let done = DispatchSemaphore(value: 0)
        let writerThread = Thread {
            guard let writer = try? RedisConnection.connect(writerConfig) else { done.signal(); return }
            for (i, key) in added.enumerated() {
                _ = try? writer.command([Array("SET".utf8), key, Array("v".utf8)])
                _ = try? writer.command([Array("SADD".utf8), Array("tag:busy".utf8), key])
                // Also re-tag keys the run may already have handled.
                let old = initial[(i * 7) % initial.count]
                _ = try? writer.command([Array("SET".utf8), old, Array("v".utf8)])
                _ = try? writer.command([Array("SADD".utf8), Array("tag:busy".utf8), old])
            }
            done.signal()
        }
        writerThread.start()
        let r = try Cachectl.run(args + ["invalidate", "--tag", "busy", "--yes", "--json", "--rate", "20000", "--batch", "100"])
        done.wait()
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        var orphans = 0
        for key in initial + added where try conn.command([Array("EXISTS".utf8), key]).int == 1 {
            if try conn.command([Array("SISMEMBER".utf8), Array("tag:busy".utf8), key]).int != 1 { orphans += 1 }
        }
        XCTAssertEqual(orphans, 0, "every key still there is still listed")
        let summary = try jsonObject(r.stdoutBytes)
        let kept = try conn.command("EXISTS", "tag:busy").int == 1
        XCTAssertEqual(summary["tagSetsKept"] as? Int, kept ? 1 : 0)
        XCTAssertEqual(summary["tagSetsDeleted"] as? Int, kept ? 0 : 1)
    }

    func testTagWithALimitMetExactlyLeavesNoSetBehind() throws {
        let (conn, args) = try keyspaceDatabase(14)
        let members = (0..<30).map { Array("lim:\($0)".utf8) }
        try AwkwardKeys.seed(conn, members)
        try conn.command([Array("SADD".utf8), Array("tag:exact".utf8)] + members)
        let exact = try Cachectl.run(args + ["invalidate", "--tag", "exact", "--limit", "30", "--yes", "--json"])
        XCTAssertEqual(exact.exitCode, 0, exact.stderr)
        let summary = try jsonObject(exact.stdoutBytes)
        XCTAssertEqual(summary["deleted"] as? Int, 30)
        XCTAssertEqual(summary["tagSetsDeleted"] as? Int, 1)
        XCTAssertEqual(try dbsize(conn), 0, "members and set are gone")

        try AwkwardKeys.seed(conn, members)
        try conn.command([Array("SADD".utf8), Array("tag:cut".utf8)] + members)
        let cut = try Cachectl.run(args + ["invalidate", "--tag", "cut", "--limit", "12", "--yes", "--json"])
        XCTAssertEqual(cut.exitCode, 0, cut.stderr)
        XCTAssertEqual(try jsonObject(cut.stdoutBytes)["stopped"] as? String, "limit")
        XCTAssertEqual(try conn.command("SCARD", "tag:cut").int, 18, "the set lists exactly the members not handled")
        XCTAssertEqual(try dbsize(conn), 19)
    }
}

/// The pacing shows in the summary, and the flags that override it win.
final class InvalidatePacingEndToEndTests: XCTestCase {
    func testSummaryShowsPacingAndFlagsWin() throws {
        let (conn, args) = try keyspaceDatabase(14)
        let keys = (0..<500).map { Array("pace:\($0)".utf8) }
        try AwkwardKeys.seed(conn, keys)
        let adaptive = try Cachectl.run(args + ["invalidate", "pace:*", "--yes", "--json"])
        XCTAssertEqual(adaptive.exitCode, 0, adaptive.stderr)
        let a = try XCTUnwrap(try jsonObject(adaptive.stdoutBytes)["pacing"] as? [String: Any])
        XCTAssertEqual(a["mode"] as? String, "adaptive")
        XCTAssertNotNil(a["batchSize"] as? Int)
        XCTAssertNotNil(a["inFlight"] as? Int)

        try AwkwardKeys.seed(conn, keys)
        let unthrottled = try Cachectl.run(args + ["invalidate", "pace:*", "--yes", "--json", "--no-throttle"])
        let u = try XCTUnwrap(try jsonObject(unthrottled.stdoutBytes)["pacing"] as? [String: Any])
        XCTAssertEqual(u["mode"] as? String, "unthrottled")
        XCTAssertEqual(u["batchSize"] as? Int, 1000)
        XCTAssertEqual(u["scanCount"] as? Int, 1000)

        try AwkwardKeys.seed(conn, keys)
        let fixed = try Cachectl.run(args + ["invalidate", "pace:*", "--yes", "--batch", "7", "--count", "50"])
        XCTAssertEqual(fixed.exitCode, 0, fixed.stderr)
        XCTAssertTrue(fixed.stdout.contains("batch 7, count 50, 2 in flight (fixed)"), fixed.stdout)
        XCTAssertEqual(try Cachectl.run(args + ["invalidate", "pace:*", "--yes", "--max-latency-ms", "0"]).exitCode, 64)
    }

    func testAUserWithoutInfoIsPacedGentlyAndToldSo() throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let admin = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: server.host, port: server.port)))
        // INFO cluster stays allowed (cachectl needs it to know whether it talks to a cluster).
        try admin.command("ACL", "SETUSER", "noinfo", "on", ">pw-noinfo", "~*", "+@all", "-info", "+info|cluster")
        try AwkwardKeys.seed(admin, (0..<300).map { Array("b:\($0)".utf8) })
        let r = try Cachectl.run(["-u", "redis://noinfo:pw-noinfo@127.0.0.1:\(server.port)", "invalidate", "b:*", "--yes", "--json"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let summary = try jsonObject(r.stdoutBytes)
        XCTAssertEqual(summary["deleted"] as? Int, 300)
        let pacing = try XCTUnwrap(summary["pacing"] as? [String: Any])
        XCTAssertEqual(pacing["mode"] as? String, "blind")
        XCTAssertEqual(pacing["batchSize"] as? Int, 64)
    }

    /// A paced run tells the kernel it is a batch job (its wakeups then never preempt a
    /// redis-server on the same host); --no-throttle and fixed sizes keep the ordinary policy.
    func testPacedRunsAreBatchJobsForTheScheduler() throws {
        #if os(Linux)
        let server = try RedisServer.start()
        defer { server.stop() }
        let admin = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: server.host, port: server.port)))
        let invalidate = ["invalidate", "s:*", "--yes", "-q", "--rate", "2000"]
        let expire = ["keys", "expire", "s:*", "--ttl", "1h", "--yes", "-q", "--rate", "2000"]
        let cases: [([String], Int32)] = [
            (invalidate, 3 /* SCHED_BATCH */), (invalidate + ["--no-throttle"], 0 /* SCHED_OTHER */),
            (invalidate + ["--batch", "100", "--count", "100"], 0), (expire, 3),
        ]
        for (arguments, policy) in cases {
            try AwkwardKeys.seed(admin, (0..<3000).map { Array("s:\($0)".utf8) })
            let run = try BackgroundCachectl(["-p", "\(server.port)"] + arguments)
            usleep(400_000)
            XCTAssertTrue(run.process.isRunning, "ended before its policy was read: \(run.stderr)")
            // /proc/PID/stat: field 41 is the scheduling policy; fields after the command's ')'.
            let stat = try String(contentsOfFile: "/proc/\(run.process.processIdentifier)/stat", encoding: .utf8)
            let fields = stat[stat.index(after: try XCTUnwrap(stat.lastIndex(of: ")")))...].split(separator: " ")
            XCTAssertEqual(Int32(fields[38]), policy, arguments.joined(separator: " "))
            XCTAssertEqual(run.wait(), 0, run.stderr)
        }
        #endif
    }

    /// The help's default for --max-latency-ms is the one the pacing uses.
    func testTheDocumentedBudgetIsTheOneUsed() {
        let budget = PacingController.Settings().budgetMicroseconds / 1000
        XCTAssertEqual(InvalidateOptions.maxLatencyMs.spec.defaultText, "\(budget)")
        XCTAssertEqual(KeysOptions.maxLatencyMs.spec.defaultText, "\(budget)")
    }

    /// INFO taken away while the run goes on: the rest of the walk drops back to the gentle
    /// sizes and the summary says the pacing went blind, instead of keeping the idle sizes.
    func testInfoRevokedMidwayTurnsThePacingBlind() throws {
        let server = try RedisServer.start()
        defer { server.stop() }
        let admin = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: server.host, port: server.port)))
        try admin.command("ACL", "SETUSER", "losing", "on", ">pw-losing", "~*", "+@all")
        try AwkwardKeys.seed(admin, (0..<4000).map { Array("m:\($0)".utf8) })
        // --rate keeps the run going for about two seconds, long enough to take INFO away.
        let run = try BackgroundCachectl(["-u", "redis://losing:pw-losing@127.0.0.1:\(server.port)", "invalidate", "m:*",
                                          "--yes", "--json", "--rate", "2000"])
        usleep(500_000)
        XCTAssertTrue(run.process.isRunning, "the run ended before INFO was revoked: \(run.stderr)")
        try admin.command("ACL", "SETUSER", "losing", "-info", "+info|cluster")
        XCTAssertEqual(run.wait(), 0, run.stderr)
        let summary = try jsonObject(Data(run.stdout.utf8))
        XCTAssertEqual(summary["deleted"] as? Int, 4000)
        let pacing = try XCTUnwrap(summary["pacing"] as? [String: Any])
        XCTAssertEqual(pacing["mode"] as? String, "blind")
        XCTAssertEqual(pacing["batchSize"] as? Int, 64)
    }
}

/// On a cluster the members live in other slots than their tag set: each batch leaves the
/// set before its keys go, so an application writing the key, then tagging it, orphans nothing.
/// Each test has a cluster of its own: slot ownership that another test changed (or a node
/// it slowed) must not fail this one, and a failure shows every node's view of the cluster.
final class ClusterTagConcurrencyEndToEndTests: XCTestCase {
    private func b(_ s: String) -> [UInt8] { Array(s.utf8) }

    func testTagSetReceivingAddsOnAClusterOrphansNothing() throws {
        let f = try ClusterFixture.start()
        defer { for node in f.nodes { node.stop() } }
        let tag = "cc\(getpid())"
        let setKey = b("tag:\(tag)")
        let seedConfig = ConnectionConfig(endpoint: .tcp(host: "127.0.0.1", port: f.ports[0]))
        let client = try ClusterClient(seed: try RedisConnection.connect(seedConfig))
        let initial = (0..<2000).map { b("\(tag):old:\($0)") }
        for key in initial { try client.command([b("SET"), key, b("v")], key: key) }
        for start in stride(from: 0, to: initial.count, by: 500) {
            try client.command([b("SADD"), setKey] + initial[start..<(start + 500)], key: setKey)
        }
        let added = (0..<400).map { b("\(tag):new:\($0)") }
        let done = DispatchSemaphore(value: 0)
        Thread {
            defer { done.signal() }
            guard let writer = try? ClusterClient(seed: try RedisConnection.connect(seedConfig)) else { return }
            for (i, key) in added.enumerated() {
                _ = try? writer.command([Array("SET".utf8), key, Array("v".utf8)], key: key)
                _ = try? writer.command([Array("SADD".utf8), setKey, key], key: setKey)
                let old = initial[(i * 7) % initial.count]
                _ = try? writer.command([Array("SET".utf8), old, Array("v".utf8)], key: old)
                _ = try? writer.command([Array("SADD".utf8), setKey, old], key: setKey)
            }
        }.start()
        let r = try Cachectl.run(["-p", "\(f.ports[1])", "invalidate", "--tag", tag, "--yes", "--json",
                                  "--rate", "4000", "--batch", "50"])
        done.wait()
        XCTAssertEqual(r.exitCode, 0, "\(r.stderr)\n\(f.diagnostics())")
        var orphans = 0
        do {
            for key in initial + added where try client.command([b("EXISTS"), key], key: key).int == 1 {
                if try client.command([b("SISMEMBER"), setKey, key], key: setKey).int != 1 { orphans += 1 }
            }
        } catch {
            return XCTFail("checking for orphans: \(error)\n\(f.diagnostics())")
        }
        XCTAssertEqual(orphans, 0, "every key still there is still listed")
    }

    /// A slot no node serves during a tag run (its owner and the next node send clients to
    /// each other) stops the run with that error, not a reply read out of step: the counts
    /// add up against the server and nothing is orphaned.
    func testAnUnreachableMemberSlotStopsTheRunWithCountsThatAddUp() throws {
        let f = try ClusterFixture.start()
        defer { for node in f.nodes { node.stop() } }
        let client = try ClusterClient(seed: try RedisConnection.connect(
            ConnectionConfig(endpoint: .tcp(host: "127.0.0.1", port: f.ports[0]))))
        // Set and members on one node, so every deletion shares the SSCAN's connection.
        let setKey = b("tag:u")
        let node = try XCTUnwrap(client.topology.primary(forSlot: KeySlot.slot(for: setKey)))
        var members: [[UInt8]] = []
        var i = 0
        while members.count < 61 {
            let key = b("u:\(i)")
            i += 1
            if client.topology.primary(forSlot: KeySlot.slot(for: key)) == node, KeySlot.slot(for: key) != KeySlot.slot(for: setKey) {
                members.append(key)
            }
        }
        // The last one stays absent: only an empty slot can be disputed.
        let absent = members[60]
        for key in members.dropLast() { try client.command([b("SET"), key, b("v")], key: key) }
        try client.command([b("SADD"), setKey] + members, key: setKey)
        let unreachable = KeySlot.slot(for: absent)
        try f.disputeSlot(unreachable)

        let r = try Cachectl.run(["-p", "\(f.ports[0])", "invalidate", "--tag", "u", "--yes", "--json",
                                  "--batch", "1", "--count", "5"])
        let context = "\(r.stdout)\n\(r.stderr)\n\(f.diagnostics())"
        XCTAssertEqual(r.exitCode, 69, context)
        let summary = try jsonObject(r.stdoutBytes)
        XCTAssertTrue((summary["error"] as? String ?? "").contains("slot \(unreachable) still unavailable"), context)
        var left = 0
        var orphans = 0
        for key in members.dropLast() where try client.command([b("EXISTS"), key], key: key).int == 1 {
            left += 1
            if try client.command([b("SISMEMBER"), setKey, key], key: setKey).int != 1 { orphans += 1 }
        }
        XCTAssertEqual(summary["deleted"] as? Int, 60 - left, context)
        XCTAssertEqual(summary["deletedUnconfirmed"] as? Int, 0, context)
        XCTAssertEqual(orphans, 0, "every key still there is still listed")
    }
}
