import XCTest
import Foundation
import RESP
import RedisClient
@testable import CacheOps

/// The built-in danger signals, judged on hand-made INFO text: each is a breach or a
/// warning without any threshold given.
final class HealthSignalTests: XCTestCase {
    /// A healthy primary with a memory limit, no evictions and persistence fine.
    static let base: [String: String] = [
        "redis_version": "7.0.15", "redis_mode": "standalone", "uptime_in_seconds": "100",
        "connected_clients": "3", "blocked_clients": "0", "maxclients": "10000",
        "used_memory": "1000", "used_memory_human": "1000B", "used_memory_rss": "2000",
        "mem_fragmentation_ratio": "2.00", "maxmemory": "4000", "maxmemory_policy": "allkeys-lru",
        "loading": "0", "rdb_last_bgsave_status": "ok", "aof_enabled": "0", "aof_last_write_status": "ok",
        "total_commands_processed": "1000", "rejected_connections": "0", "keyspace_hits": "10",
        "keyspace_misses": "0", "evicted_keys": "0", "expired_keys": "0",
        "total_net_input_bytes": "0", "total_net_output_bytes": "0",
        "role": "master", "connected_slaves": "0", "master_repl_offset": "0", "cluster_enabled": "0",
    ]

    static func info(_ changes: [String: String] = [:], drop: Set<String> = [], without: Set<String> = []) -> ServerInfo {
        let fields = base.merging(changes) { $1 }.filter { !without.contains($0.key) }
        let sections: [(String, [String])] = [
            ("Server", ["redis_version", "redis_mode", "uptime_in_seconds"]),
            ("Clients", ["connected_clients", "blocked_clients", "maxclients"]),
            ("Memory", ["used_memory", "used_memory_human", "used_memory_rss", "mem_fragmentation_ratio", "maxmemory", "maxmemory_policy"]),
            ("Persistence", ["loading", "rdb_last_bgsave_status", "aof_enabled", "aof_last_write_status"]),
            ("Stats", ["total_commands_processed", "rejected_connections", "keyspace_hits", "keyspace_misses", "evicted_keys",
                       "expired_keys", "total_net_input_bytes", "total_net_output_bytes"]),
            ("Replication", ["role", "connected_slaves", "master_repl_offset"] + fields.keys.filter {
                $0.hasPrefix("master_") && $0 != "master_repl_offset" || $0.hasPrefix("slave") }.sorted()),
            ("Cluster", ["cluster_enabled"]),
            ("Keyspace", []),
        ]
        var text = ""
        for (name, keys) in sections where !drop.contains(name.lowercased()) {
            text += "# \(name)\r\n"
            for k in keys { if let v = fields[k] { text += "\(k):\(v)\r\n" } }
            text += "\r\n"
        }
        return ServerInfo(text)
    }

    func judge(_ info: ServerInfo, _ t: HealthThresholds = HealthThresholds(), rates: HealthRates? = nil) -> HealthReport {
        var r = HealthReport(endpoint: .tcp(host: "127.0.0.1", port: 6379), latency: LatencySummary(millis: [1]),
                             roundTrips: [RoundTrip(name: "PING", milliseconds: 1)])
        HealthCheck.fill(&r, from: info)
        r.rates = rates
        HealthCheck.judge(&r, t)
        if t.strict { HealthCheck.applyStrict(&r) }
        return r
    }

    func testAHealthyServerHasNoFindings() {
        let r = judge(Self.info())
        XCTAssertTrue(r.healthy, "\(r.breaches)")
        XCTAssertEqual(r.warnings, [])
        XCTAssertEqual(r.unchecked, [])
    }

    func testNoevictionAtMaxmemoryIsAMemoryBreach() {
        let r = judge(Self.info(["maxmemory_policy": "noeviction", "used_memory": "4020"]))
        XCTAssertEqual(r.breaches.map(\.metric), [.memory])
        XCTAssertEqual(r.breaches[0].actual, 4020)
        XCTAssertEqual(r.breaches[0].limit, 4000)
        XCTAssertTrue(r.breaches[0].reason?.contains("noeviction") ?? false)
        // An evicting policy at the limit is not a breach: it is how a full cache works.
        XCTAssertTrue(judge(Self.info(["used_memory": "4020"])).healthy)
    }

    /// Redis 6.0's INFO has no maxclients: the clients check is listed as unchecked (and
    /// --strict makes it a breach), not silently passed.
    func testAMissingMaxclientsIsUnchecked() {
        let info = Self.info(without: ["maxclients"])
        let r = judge(info)
        XCTAssertTrue(r.healthy)
        XCTAssertEqual(r.unchecked.map(\.check), ["clients at maxclients"], "\(r.unchecked)")
        XCTAssertFalse(judge(info, HealthThresholds(strict: true)).healthy)
        XCTAssertEqual(judge(Self.info()).unchecked, [])
    }

    /// Each signal whose INFO field is missing is listed as unchecked (a replica's missing
    /// link status is not a link that is down), and --strict makes that a breach.
    func testEverySignalWithoutItsFieldIsUnchecked() {
        let replica = ["role": "slave", "master_host": "10.0.0.1", "master_port": "6379"]
        for (field, changes, check) in [("mem_fragmentation_ratio", [String: String](), "fragmentation"),
                                        ("used_memory_rss", [:], "fragmentation"),
                                        ("rdb_last_bgsave_status", [:], "persistence"),
                                        ("master_link_status", replica, "replication")] {
            let info = Self.info(changes, without: [field])
            let r = judge(info)
            XCTAssertTrue(r.healthy, "\(field): \(r.breaches)")
            XCTAssertEqual(r.unchecked.map(\.check), [check], "\(field)")
            XCTAssertFalse(judge(info, HealthThresholds(strict: true)).healthy, field)
        }
        let noCount = judge(Self.info(without: ["connected_slaves"]), HealthThresholds(minReplicas: 1))
        XCTAssertTrue(noCount.healthy, "\(noCount.breaches)")
        XCTAssertEqual(noCount.unchecked.map(\.check), ["--min-replicas"])
    }

    func testMaxmemoryUnsetWarns() {
        let r = judge(Self.info(["maxmemory": "0"]))
        XCTAssertTrue(r.healthy)
        XCTAssertEqual(r.warnings.map(\.metric), [.maxmemory])
    }

    func testEvictionsSinceStartWarnAndRatesSayWhetherNow() throws {
        let r = judge(Self.info(["evicted_keys": "5"]))
        XCTAssertEqual(r.warnings.map(\.metric), [.evictions])
        XCTAssertTrue(r.warnings[0].reason?.contains("--interval") ?? false)
        let t0 = ContinuousClock.now
        let earlier = InfoSample(info: Self.info(["evicted_keys": "5"]), at: t0)
        let later = InfoSample(info: Self.info(["evicted_keys": "25"]), at: t0 + .seconds(2))
        let rates = try XCTUnwrap(HealthRates(from: earlier, to: later))
        XCTAssertEqual(rates.evictedPerSec, 10)
        let now = judge(later.info, rates: rates)
        XCTAssertEqual(now.warnings.map(\.metric), [.evictions])
        XCTAssertEqual(now.warnings[0].actual, 10)
        let quiet = try XCTUnwrap(HealthRates(from: later, to: InfoSample(info: later.info, at: t0 + .seconds(3))))
        XCTAssertEqual(judge(later.info, rates: quiet).warnings, [], "no eviction during the interval")
    }

    func testRatesAndIntervalHitRate() throws {
        let t0 = ContinuousClock.now
        let a = InfoSample(info: Self.info(["keyspace_hits": "100", "keyspace_misses": "100", "total_commands_processed": "1000",
                                            "total_net_input_bytes": "0", "total_net_output_bytes": "0", "expired_keys": "0"]), at: t0)
        let b = InfoSample(info: Self.info(["keyspace_hits": "190", "keyspace_misses": "110", "total_commands_processed": "1200",
                                            "total_net_input_bytes": "4000", "total_net_output_bytes": "8000", "expired_keys": "6"]),
                           at: t0 + .seconds(2))
        let x = try XCTUnwrap(HealthRates(from: a, to: b))
        XCTAssertEqual(x.intervalMs, 2000)
        XCTAssertEqual(x.opsPerSec, 100)
        XCTAssertEqual(x.hitsPerSec, 45)
        XCTAssertEqual(x.missesPerSec, 5)
        XCTAssertEqual(x.hitRatePercent, 90)
        XCTAssertEqual(x.expiredPerSec, 3)
        XCTAssertEqual(x.netInputBytesPerSec, 2000)
        XCTAssertEqual(x.netOutputBytesPerSec, 4000)
        // --min-hit-rate judges the interval (90%), not the since-start rate (63%).
        XCTAssertTrue(judge(b.info, HealthThresholds(minHitRatePercent: 85), rates: x).healthy)
        let r = judge(b.info, HealthThresholds(minHitRatePercent: 95), rates: x)
        XCTAssertEqual(r.breaches.map(\.metric), [.hitRate])
        XCTAssertEqual(r.breaches[0].actual, 90)
        // A restart between samples (counters went back) gives no rates rather than nonsense.
        XCTAssertNil(HealthRates(from: b, to: InfoSample(info: a.info, at: t0 + .seconds(4))))
    }

    func testLoadingIsABreach() {
        XCTAssertEqual(judge(Self.info(["loading": "1"])).breaches.map(\.metric), [.loading])
    }

    func testFailedRDBOrAOFWriteIsABreach() {
        XCTAssertEqual(judge(Self.info(["rdb_last_bgsave_status": "err"])).breaches.map(\.metric), [.persistence])
        XCTAssertEqual(judge(Self.info(["aof_enabled": "1", "aof_last_write_status": "err"])).breaches.map(\.metric), [.persistence])
        XCTAssertTrue(judge(Self.info(["aof_enabled": "0", "aof_last_write_status": "err"])).healthy, "AOF off: nothing written")
    }

    func testReplicaLinkDownOrSilentIsAReplicationBreach() throws {
        let down = judge(Self.info(["role": "slave", "master_host": "10.0.0.1", "master_port": "6379",
                                    "master_link_status": "down", "master_last_io_seconds_ago": "-1",
                                    "master_link_down_since_seconds": "42"]))
        XCTAssertEqual(down.breaches.map(\.metric), [.replication])
        XCTAssertEqual(down.breaches[0].actual, 42)
        XCTAssertTrue(down.breaches[0].reason?.contains("10.0.0.1:6379 is down") ?? false)
        let silent = judge(Self.info(["role": "slave", "master_host": "10.0.0.1", "master_port": "6379",
                                      "master_link_status": "up", "master_last_io_seconds_ago": "45"]))
        XCTAssertEqual(silent.breaches.map(\.metric), [.replication])
        XCTAssertEqual(silent.breaches[0].limit, 30)
        let fine = judge(Self.info(["role": "slave", "master_host": "10.0.0.1", "master_port": "6379",
                                    "master_link_status": "up", "master_last_io_seconds_ago": "45"]),
                         HealthThresholds(maxReplicationLagSeconds: 60))
        XCTAssertTrue(fine.healthy)
        XCTAssertEqual(fine.replication?.primary, "10.0.0.1:6379")
        XCTAssertEqual(fine.replication?.lastIOSecondsAgo, 45)
    }

    func testReplicasAreParsedAndCountedAgainstMinReplicas() throws {
        let info = Self.info(["connected_slaves": "2", "master_repl_offset": "500",
                              "slave0": "ip=127.0.0.1,port=7001,state=online,offset=500,lag=0",
                              "slave1": "ip=127.0.0.1,port=7002,state=online,offset=380,lag=1"])
        let r = judge(info, HealthThresholds(minReplicas: 3))
        let rep = try XCTUnwrap(r.replication)
        XCTAssertEqual(rep.replicas.map(\.address), ["127.0.0.1:7001", "127.0.0.1:7002"])
        XCTAssertEqual(rep.replicas.map(\.bytesBehind), [0, 120])
        XCTAssertEqual(r.breaches, [HealthFinding(metric: .replicas, limit: 3, actual: 2, reason: "connected replicas")])
        XCTAssertTrue(judge(info, HealthThresholds(minReplicas: 2)).healthy)
    }

    func testClientsAtMaxclientsAndRejectionsNow() throws {
        XCTAssertEqual(judge(Self.info(["connected_clients": "10000"])).breaches.map(\.metric), [.clients])
        XCTAssertEqual(judge(Self.info(["rejected_connections": "3"])).warnings.map(\.metric), [.clients])
        let t0 = ContinuousClock.now
        let a = InfoSample(info: Self.info(["rejected_connections": "3", "blocked_clients": "0"]), at: t0)
        let b = InfoSample(info: Self.info(["rejected_connections": "9", "blocked_clients": "4"]), at: t0 + .seconds(1))
        let r = judge(b.info, rates: HealthRates(from: a, to: b))
        XCTAssertEqual(r.breaches.map(\.metric), [.clients], "rejections during the interval")
        XCTAssertEqual(r.warnings.map(\.metric), [.clients], "blocked clients grew")
    }

    func testHighFragmentationWarnsOnlyWhenMuchIsWasted() {
        XCTAssertEqual(judge(Self.info()).warnings, [], "ratio 2 on 1 KB means nothing")
        let big = judge(Self.info(["used_memory": "200000000", "used_memory_rss": "400000000", "mem_fragmentation_ratio": "2.00",
                                   "maxmemory": "0"]))
        XCTAssertEqual(big.warnings.map(\.metric), [.maxmemory, .fragmentation])
    }

    func testRefusedSectionsLeaveFactsNilAndChecksUnchecked() {
        let r = judge(Self.info(drop: ["memory", "stats"]), HealthThresholds(minHitRatePercent: 90, maxMemoryPercent: 80))
        XCTAssertTrue(r.healthy)
        XCTAssertNil(r.usedMemoryBytes)
        XCTAssertNil(r.keyspaceHits)
        XCTAssertEqual(r.version, "7.0.15")
        XCTAssertEqual(Set(r.unchecked.map(\.check)), ["--min-hit-rate", "--max-memory-pct", "memory", "evictions"])
        let strict = judge(Self.info(drop: ["memory", "stats"]), HealthThresholds(minHitRatePercent: 90, strict: true))
        XCTAssertFalse(strict.healthy)
        XCTAssertTrue(strict.breaches.allSatisfy { $0.metric == .unchecked })
    }

    func testNoInfoAtAllStillJudgesLatency() {
        var r = HealthReport(endpoint: .tcp(host: "127.0.0.1", port: 6379), latency: LatencySummary(millis: [1, 2]),
                             roundTrips: [RoundTrip(name: "handshake", milliseconds: 2003), RoundTrip(name: "PING", milliseconds: 2)])
        HealthCheck.judge(&r, HealthThresholds(maxLatencyMs: 100))
        XCTAssertEqual(r.breaches, [HealthFinding(metric: .latency, limit: 100, actual: 2003, reason: "handshake")])
        XCTAssertEqual(Set(r.unchecked.map(\.check)), ["memory", "evictions", "loading", "persistence", "replication", "clients"])
    }

    func testSlowlogKeepsCommandNamesOnly() {
        func bulk(_ s: String) -> RESPValue { .bulkString(Array(s.utf8)) }
        let reply = RESPValue.array([
            .array([.integer(1), .integer(1_700_000_000), .integer(1500),
                    .array([bulk("config"), bulk("set"), bulk("requirepass"), bulk("hunter2")]), bulk("127.0.0.1:5000"), bulk("")]),
            .array([.integer(2), .integer(1_700_000_001), .integer(90_000), .array([bulk("keys"), bulk("*")]),
                    bulk("127.0.0.1:5001"), bulk("app")]),
        ])
        let entries = SlowlogEntry.parse(reply)
        XCTAssertEqual(entries.map(\.command), ["KEYS", "CONFIG"], "slowest first")
        XCTAssertEqual(entries.map(\.redactedArguments), [1, 3])
        XCTAssertEqual(entries[0].durationMicros, 90_000)
        XCTAssertFalse("\(entries)".contains("hunter2"))
    }

    /// SLOWLOG GET answers the most recent first; health shows the slowest, and among equal
    /// durations the most recent, whatever the order they came in.
    func testSlowlogIsOrderedSlowestFirstThenMostRecent() {
        func entry(_ id: Int64, _ micros: Int64) -> RESPValue {
            .array([.integer(id), .integer(1_700_000_000 + id), .integer(micros), .array([.bulkString(Array("get".utf8))])])
        }
        let mostRecentFirst = RESPValue.array([entry(9, 10), entry(8, 700), entry(7, 10), entry(6, 500_000), entry(5, 700)])
        XCTAssertEqual(SlowlogEntry.parse(mostRecentFirst).map(\.id), [6, 8, 5, 9, 7])
    }

    /// A hostile or broken server may send any Int64 in any field: health judges and words
    /// it without trapping (hit rate, fragmentation, replica lines, rates between samples).
    func testAbsurdNumbersFromTheServerDoNotTrap() throws {
        let max = String(Int64.max), min = String(Int64.min)
        for (big, small) in [(max, min), (min, max), (max, max), (min, min)] {
            let changes = ["keyspace_hits": big, "keyspace_misses": big, "used_memory": small,
                                  "used_memory_rss": big, "mem_fragmentation_ratio": "1e308", "maxmemory": big,
                                  "connected_slaves": big, "master_repl_offset": big,
                                  "slave0": "ip=127.0.0.1,port=6380,state=online,offset=\(small),lag=\(big)",
                                  "blocked_clients": big, "rejected_connections": big, "evicted_keys": big]
            let info = Self.info(changes)
            let r = judge(info, HealthThresholds(maxMemoryPercent: 90, minReplicas: 1))
            XCTAssertEqual(r.replication?.replicas.count, big == max ? 1 : 0)
            if big == max { XCTAssertEqual(r.hitRatePercent, 50) } else { XCTAssertNil(r.hitRatePercent) }
            let t0 = ContinuousClock.now
            let earlier = InfoSample(info: Self.info(["total_commands_processed": small, "keyspace_hits": small,
                                                      "keyspace_misses": small, "evicted_keys": small,
                                                      "blocked_clients": small]), at: t0)
            let later = InfoSample(info: Self.info(changes.merging(["total_commands_processed": big]) { $1 }), at: t0 + .milliseconds(1))
            let rates = HealthRates(from: earlier, to: later)
            if let rates { _ = judge(later.info, HealthThresholds(minHitRatePercent: 99), rates: rates) }
        }
    }
}
