import XCTest
import Foundation
import TestSupport

/// `health` against servers in trouble: full with noeviction, a replica without its
/// primary, a stall, a server gone, and under load; plus its machine outputs.
final class HealthSignalsEndToEndTests: XCTestCase {
    private func json(_ r: CachectlRun, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdoutBytes) as? [String: Any], r.stdout, file: file, line: line)
    }

    /// Starts a background program (redis-cli, redis-benchmark) and returns it running.
    private func background(_ name: String, _ args: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try XCTUnwrap(findExecutable(name)))
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    func testNoevictionFilledPastMaxmemoryIsAMemoryBreach() throws {
        let s = try RedisServer.start(extraArguments: ["--maxmemory", "2mb", "--maxmemory-policy", "noeviction"])
        defer { s.stop() }
        var full = false
        for batch in 0..<200 where !full {
            let reply = try s.cli(["eval", "for i=1,500 do redis.call('set', 'fill:' .. ARGV[1] .. ':' .. i, string.rep('x', 200)) end return 1",
                                   "0", "\(batch)"])
            full = reply.contains("OOM")
        }
        XCTAssertTrue(full, "the server never refused a write")
        let r = try Cachectl.run(["-p", "\(s.port)", "health"])
        XCTAssertEqual(r.exitCode, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("cachectl: breach: memory: used memory is at maxmemory with maxmemory-policy noeviction"), r.stderr)
        let j = try json(try Cachectl.run(["-p", "\(s.port)", "health", "--json"]))
        XCTAssertEqual(j["healthy"] as? Bool, false)
        XCTAssertEqual(j["status"] as? String, "unhealthy")
        let breach = try XCTUnwrap((j["breaches"] as? [[String: Any]])?.first)
        XCTAssertEqual(breach["metric"] as? String, "memory")
        XCTAssertEqual(breach["limit"] as? Double, 2 * 1024 * 1024)
        XCTAssertGreaterThanOrEqual(breach["actual"] as? Double ?? 0, 2 * 1024 * 1024)
        XCTAssertTrue((breach["reason"] as? String)?.contains("noeviction") ?? false)
    }

    func testReplicaWhosePrimaryStoppedIsAReplicationBreach() throws {
        let primary = try RedisServer.start()
        let replica = try RedisServer.start(extraArguments: ["--replicaof", "127.0.0.1", "\(primary.port)"])
        defer { replica.stop(); primary.stop() }
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline, !(try replica.cli(["info", "replication"]).contains("master_link_status:up")) { usleep(100_000) }
        let up = try Cachectl.run(["-p", "\(primary.port)", "health", "--json", "--min-replicas", "1"])
        XCTAssertEqual(up.exitCode, 0, up.stderr)
        let replicas = try XCTUnwrap((try json(up)["replication"] as? [String: Any])?["replicas"] as? [[String: Any]])
        XCTAssertEqual(replicas.first?["address"] as? String, "127.0.0.1:\(replica.port)")
        XCTAssertNotNil(replicas.first?["offset"] as? Int)

        primary.stop()
        while Date() < deadline, !(try replica.cli(["info", "replication"]).contains("master_link_status:down")) { usleep(100_000) }
        let r = try Cachectl.run(["-p", "\(replica.port)", "health"])
        XCTAssertEqual(r.exitCode, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("cachectl: breach: replication: the link to primary 127.0.0.1:\(primary.port) is down"), r.stderr)
        XCTAssertTrue(r.stdout.contains("replica of 127.0.0.1:\(primary.port), link down"), r.stdout)
        let j = try json(try Cachectl.run(["-p", "\(replica.port)", "health", "--json"]))
        let replication = try XCTUnwrap(j["replication"] as? [String: Any])
        XCTAssertEqual(replication["role"] as? String, "slave")
        XCTAssertEqual(replication["linkStatus"] as? String, "down")
        XCTAssertEqual((j["breaches"] as? [[String: Any]])?.first?["metric"] as? String, "replication")
    }

    func testAStallDuringTheConnectionSetUpIsALatencyBreachWithItsDuration() throws {
        // DEBUG is allowed by default before Redis 7.0, which added (and needs) this setting.
        let s = try RedisServer.start(extraArguments: RedisServer.isAtLeastRedis(7, 0) ? ["--enable-debug-command", "local"] : [])
        defer { s.stop() }
        // A 3 s sleep started 0.5 s ahead leaves a stall of seconds for health to meet.
        let sleeper = try background("redis-cli", ["-p", "\(s.port)", "DEBUG", "SLEEP", "3"])
        usleep(500_000)
        let r = try Cachectl.run(["-p", "\(s.port)", "health", "--max-latency-ms", "100"])
        sleeper.waitUntilExit()
        XCTAssertEqual(r.exitCode, 1, r.stderr)
        let match = try XCTUnwrap(r.stderr.firstMatch(of: /breach: latency ([0-9.]+) ms \(([a-zA-Z ]+)[,)]/), r.stderr)
        XCTAssertGreaterThan(Double(match.1) ?? 0, 1000, "the stall's duration is reported: \(r.stderr)")
        XCTAssertTrue(r.stdout.contains("slowest"), r.stdout)

        let sleeper2 = try background("redis-cli", ["-p", "\(s.port)", "DEBUG", "SLEEP", "3"])
        usleep(500_000)
        let j = try Cachectl.run(["-p", "\(s.port)", "health", "--max-latency-ms", "100", "--json"])
        sleeper2.waitUntilExit()
        XCTAssertEqual(j.exitCode, 1, j.stderr)
        let breach = try XCTUnwrap((try json(j)["breaches"] as? [[String: Any]])?.first)
        XCTAssertEqual(breach["metric"] as? String, "latency")
        XCTAssertGreaterThan(breach["actual"] as? Double ?? 0, 1000)
    }

    func testAStallPastTheTimeoutIsATimeoutDocumentWithTheTimeWaited() throws {
        let silent = try SilentServer()
        let r = try Cachectl.run(["-p", "\(silent.port)", "--timeout", "500ms", "health", "--json", "--max-latency-ms", "100"])
        XCTAssertEqual(r.exitCode, 75, r.stderr)
        let j = try json(r)
        XCTAssertEqual(j["healthy"] as? Bool, false)
        XCTAssertEqual(j["status"] as? String, "timeout")
        XCTAssertTrue((j["error"] as? String)?.contains("timed out") ?? false)
        let breach = try XCTUnwrap((j["breaches"] as? [[String: Any]])?.first)
        XCTAssertEqual(breach["metric"] as? String, "latency")
        XCTAssertEqual(breach["actual"] as? Double, 500)
    }

    func testJSONIsNeverSilentWhenTheServerIsGone() throws {
        let s = try RedisServer.start()
        let port = s.port
        s.stop()
        let r = try Cachectl.run(["-p", "\(port)", "health", "--json"])
        XCTAssertEqual(r.exitCode, 69)
        let j = try json(r)
        XCTAssertEqual(j["healthy"] as? Bool, false)
        XCTAssertEqual(j["status"] as? String, "unreachable")
        XCTAssertEqual(j["node"] as? String, "127.0.0.1:\(port)")
        XCTAssertTrue((j["error"] as? String)?.contains("connection refused") ?? false)
        XCTAssertTrue(r.stderr.hasPrefix("cachectl: error: connection refused"), r.stderr)

        let auth = try RedisServer.withPassword.get()
        let a = try Cachectl.run(["-p", "\(auth.port)", "health", "--json"], environment: ["REDISCLI_AUTH": "Wr0ng-Secret-Value"])
        XCTAssertEqual(a.exitCode, 77, a.stderr)
        XCTAssertEqual(try json(a)["status"] as? String, "unauthorized")
        XCTAssertFalse(a.stdout.contains("Wr0ng-Secret-Value"))

        let watch = try Cachectl.run(["-p", "\(port)", "health", "--watch", "100ms", "--count", "2", "--json"])
        XCTAssertEqual(watch.exitCode, 69, "the worst sample's code")
        let lines = watch.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 2, watch.stdout)
        for line in lines {
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            XCTAssertEqual(object["status"] as? String, "unreachable")
            XCTAssertEqual(object["healthy"] as? Bool, false)
        }

        let p = try Cachectl.run(["-p", "\(port)", "health", "--prometheus"])
        XCTAssertEqual(p.exitCode, 69)
        try assertValidExposition(p.stdout)
        XCTAssertTrue(p.stdout.contains("cachectl_up{node=\"127.0.0.1:\(port)\",status=\"unreachable\"} 0"), p.stdout)
    }

    func testIntervalShowsTheHitRateOfTheLoadNow() throws {
        let s = try RedisServer.start()
        defer { s.stop() }
        try s.cli(["set", "h:hit", "v"])
        // Since start: a million hits, so the lifetime hit rate stays far above the load's.
        try s.cli(["eval", "for i=1,1000000 do redis.call('get', 'h:hit') end return 1", "0"])
        // Each EVAL looks up three hits and one miss, atomically: exactly 75% at any instant.
        let load = try background("redis-benchmark", ["-p", "\(s.port)", "-c", "2", "-n", "100000000", "EVAL",
                                                      "redis.call('get','h:hit') redis.call('get','h:hit') redis.call('get','h:hit') redis.call('get','h:miss')",
                                                      "0"])
        defer { load.terminate(); load.waitUntilExit() }
        // Wait until the load is running (a loaded CI machine can be slow to start it).
        let started = Date().addingTimeInterval(10)
        func misses() throws -> Int {
            let line = try s.cli(["info", "stats"]).split(whereSeparator: \.isNewline).first { $0.hasPrefix("keyspace_misses:") }
            return Int(line?.dropFirst("keyspace_misses:".count).trimmingCharacters(in: .whitespaces) ?? "") ?? 0
        }
        while Date() < started, try misses() < 100 { usleep(50_000) }
        let r = try Cachectl.run(["-p", "\(s.port)", "health", "--interval", "1s", "--json", "--min-hit-rate", "80"])
        XCTAssertEqual(r.exitCode, 1, "the interval's 75% is below 80%, the lifetime rate is not: \(r.stderr)")
        let j = try json(r)
        XCTAssertEqual(try XCTUnwrap(j["intervalHitRate"] as? Double), 75, accuracy: 0.01)
        XCTAssertGreaterThan((j["stats"] as? [String: Any])?["hitRate"] as? Double ?? 0, 80)
        XCTAssertGreaterThanOrEqual(j["intervalMs"] as? Double ?? 0, 1000)
        let hits = try XCTUnwrap(j["hitsPerSec"] as? Double), misses = try XCTUnwrap(j["missesPerSec"] as? Double)
        XCTAssertGreaterThan(misses, 0)
        XCTAssertEqual(hits / misses, 3, accuracy: 0.01)
        XCTAssertGreaterThan(j["opsPerSec"] as? Double ?? 0, 0)
        XCTAssertNotNil(j["netInputBytesPerSec"] as? Double)
        XCTAssertNotNil(j["evictedPerSec"] as? Double)
        XCTAssertNotNil(j["expiredPerSec"] as? Double)
        let breach = try XCTUnwrap((j["breaches"] as? [[String: Any]])?.first)
        XCTAssertEqual(breach["metric"] as? String, "hitRate")
        XCTAssertTrue((breach["message"] as? String)?.contains("over the last") ?? false)

        let table = try Cachectl.run(["-p", "\(s.port)", "health", "--interval", "500ms"])
        XCTAssertTrue(table.stdout.contains("75.00% over the interval"), table.stdout)
    }

    func testWatchCountPrintsOneNDJSONLinePerSample() throws {
        let s = try RedisServer.shared.get()
        let r = try Cachectl.run(["-p", "\(s.port)", "health", "--watch", "200ms", "--count", "3", "--json"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 3, r.stdout)
        for (index, line) in lines.enumerated() {
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            XCTAssertEqual(object["healthy"] as? Bool, true)
            XCTAssertNotNil(object["time"] as? String)
            XCTAssertNotNil(object["timeMs"] as? Int)
            // From the second sample on, rates come from the previous one.
            XCTAssertEqual(object["opsPerSec"] is Double, index > 0, "\(object)")
        }
        let human = try Cachectl.run(["-p", "\(s.port)", "health", "--watch", "100ms", "--count", "2"])
        XCTAssertEqual(human.exitCode, 0, human.stderr)
        XCTAssertEqual(human.stdout.split(separator: "\n").count, 2, human.stdout)
        XCTAssertTrue(human.stdout.split(separator: "\n").allSatisfy { $0.contains("healthy") && $0.contains("ping ") }, human.stdout)
    }

    func testWatchExitsWithTheWorstVerdictAndWithoutValueTakesTheDefault() throws {
        let s = try RedisServer.shared.get()
        let r = try Cachectl.run(["-p", "\(s.port)", "health", "--watch", "--count", "2", "--max-latency-ms", "0"])
        XCTAssertEqual(r.exitCode, 1, r.stderr)
        XCTAssertTrue(r.stdout.contains("UNHEALTHY(latency)"), r.stdout)
        XCTAssertGreaterThanOrEqual(r.elapsed, 0.9, "one second between samples by default")
        let usage = try Cachectl.run(["-p", "\(s.port)", "health", "--count", "2"])
        XCTAssertEqual(usage.exitCode, 64)
    }

    func testWatchEndsWith130OnCtrlC() throws {
        let s = try RedisServer.shared.get()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Cachectl.binaryPath)
        p.arguments = ["-p", "\(s.port)", "health", "--watch", "200ms"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        usleep(700_000)
        p.interrupt()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 130)
        XCTAssertGreaterThanOrEqual(String(decoding: data, as: UTF8.self).split(separator: "\n").count, 2)
    }

    func testPrometheusOutputIsStrictExpositionFormat() throws {
        let s = try RedisServer.shared.get()
        try s.cli(["set", "health:prom", "v"])
        let r = try Cachectl.run(["-p", "\(s.port)", "health", "--prometheus", "--interval", "200ms", "--max-latency-ms", "0"])
        XCTAssertEqual(r.exitCode, 1, r.stderr)
        try assertValidExposition(r.stdout)
        for name in ["cachectl_up", "cachectl_healthy", "cachectl_ping_latency_seconds", "cachectl_used_memory_bytes",
                     "cachectl_keyspace_hits_total", "cachectl_ops_per_second", "cachectl_keys", "cachectl_breaches"] {
            XCTAssertTrue(r.stdout.contains("\n# TYPE \(name) ") || r.stdout.hasPrefix("# HELP \(name) "), "\(name) in\n\(r.stdout)")
        }
        XCTAssertTrue(r.stdout.contains("cachectl_healthy{node=\"127.0.0.1:\(s.port)\"} 0"), r.stdout)
        XCTAssertTrue(r.stdout.contains("cachectl_breaches{node=\"127.0.0.1:\(s.port)\",metric=\"latency\"} 1"), r.stdout)
        XCTAssertEqual(try Cachectl.run(["-p", "\(s.port)", "health", "--prometheus", "--json"]).exitCode, 64)
    }

    /// `--slowlog 1` finds a slow command behind 100 fast ones: the whole log is read and
    /// sorted, not its most recent entries; the table and JSON say how many were read.
    func testSlowlogShowsTheSlowestEntriesOfTheWholeLog() throws {
        let s = try RedisServer.start(extraArguments: ["--slowlog-log-slower-than", "0", "--slowlog-max-len", "1024"])
        defer { s.stop() }
        // A script that spins for a while: tens of milliseconds, where a SET takes microseconds.
        try s.cli(["eval", "local n = 0 for i = 1, 3000000 do n = n + i end return n", "0"])
        try s.cli([], stdin: Data(String(repeating: "SET health:fast x\n", count: 100).utf8))
        XCTAssertGreaterThanOrEqual(Int(try s.cli(["slowlog", "len"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, 101)

        let r = try Cachectl.run(["-p", "\(s.port)", "health", "--slowlog", "1", "--json"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let object = try json(r)
        let entries = try XCTUnwrap(object["slowlog"] as? [[String: Any]])
        XCTAssertEqual(entries.count, 1)
        XCTAssertEqual(entries.first?["command"] as? String, "EVAL", "\(entries)")
        XCTAssertGreaterThan(entries.first?["durationMicros"] as? Int ?? 0, 1000, "the script is the slow one")
        let read = try XCTUnwrap(object["slowlogEntriesRead"] as? Int)
        XCTAssertGreaterThanOrEqual(read, 101)

        let table = try Cachectl.run(["-p", "\(s.port)", "health", "--slowlog", "1"])
        XCTAssertEqual(table.exitCode, 0, table.stderr)
        XCTAssertNotNil(table.stdout.range(of: #"slowlog +the 1 slowest of 1\d\d entries\n  #\d+ +[0-9.]+ms  EVAL \(\+2 args\)"#,
                                           options: .regularExpression), table.stdout)
    }

    func testSlowlogShowsCommandNamesOnly() throws {
        let s = try RedisServer.start(extraArguments: ["--slowlog-log-slower-than", "0"])
        defer { s.stop() }
        try s.cli(["set", "health:secret-key", "secret-value"])
        let r = try Cachectl.run(["-p", "\(s.port)", "health", "--slowlog", "3", "--json"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let entries = try XCTUnwrap(try json(r)["slowlog"] as? [[String: Any]])
        XCTAssertEqual(entries.count, 3)
        XCTAssertTrue(entries.allSatisfy { $0["durationMicros"] is Int && $0["command"] is String })
        XCTAssertFalse(r.stdout.contains("secret-value"))
        XCTAssertFalse(r.stdout.contains("health:secret-key"))
        let table = try Cachectl.run(["-p", "\(s.port)", "health", "--slowlog", "100"])
        XCTAssertTrue(table.stdout.contains("SET (+2 args)"), table.stdout)
        XCTAssertFalse(table.stdout.contains("secret-value"))
    }
}

/// A strict reading of the Prometheus text exposition format 0.0.4: HELP and TYPE once per
/// family and before its samples, samples of a family together, valid names, label names
/// and escapes, float values, counters named `_total`, no duplicate series, final newline.
func assertValidExposition(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
    XCTAssertTrue(text.hasSuffix("\n"), "ends with a newline", file: file, line: line)
    let metricName = /[a-zA-Z_:][a-zA-Z0-9_:]*/
    let sample = /([a-zA-Z_:][a-zA-Z0-9_:]*)(\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*)\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)/
    var helped: Set<String> = [], typed: [String: String] = [:], finished: Set<String> = [], series: Set<String> = []
    var current: String?
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
        let l = String(raw)
        if l.hasPrefix("# HELP ") || l.hasPrefix("# TYPE ") {
            let parts = l.split(separator: " ", maxSplits: 3)
            XCTAssertGreaterThanOrEqual(parts.count, 4, "'\(l)'", file: file, line: line)
            let name = String(parts[2])
            XCTAssertNotNil(try metricName.wholeMatch(in: name), "name '\(name)'", file: file, line: line)
            XCTAssertTrue(name.hasPrefix("cachectl_"), name, file: file, line: line)
            XCTAssertFalse(finished.contains(name), "family \(name) split up", file: file, line: line)
            if let c = current, c != name { finished.insert(c) }
            current = name
            if parts[1] == "HELP" {
                XCTAssertTrue(helped.insert(name).inserted, "HELP twice for \(name)", file: file, line: line)
            } else {
                XCTAssertNil(typed[name], "TYPE twice for \(name)", file: file, line: line)
                XCTAssertTrue(["counter", "gauge", "untyped", "summary", "histogram"].contains(String(parts[3])), l, file: file, line: line)
                typed[name] = String(parts[3])
                if parts[3] == "counter" { XCTAssertTrue(name.hasSuffix("_total"), name, file: file, line: line) }
            }
            continue
        }
        XCTAssertFalse(l.hasPrefix("#") || l.isEmpty, "unexpected line '\(l)'", file: file, line: line)
        let match = try XCTUnwrap(try sample.wholeMatch(in: l), "not a sample line: '\(l)'", file: file, line: line)
        let name = String(match.1)
        XCTAssertEqual(name, current, "sample of \(name) outside its family", file: file, line: line)
        XCTAssertTrue(helped.contains(name) && typed[name] != nil, "\(name) needs HELP and TYPE first", file: file, line: line)
        let value = String(match.4)
        XCTAssertTrue(Double(value) != nil || ["NaN", "+Inf", "-Inf"].contains(value), "value '\(value)'", file: file, line: line)
        let key = name + "{" + String(match.3 ?? "") + "}"
        XCTAssertTrue(series.insert(key).inserted, "duplicate series \(key)", file: file, line: line)
    }
}
