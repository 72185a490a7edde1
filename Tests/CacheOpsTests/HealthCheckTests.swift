import XCTest
import Foundation
import TestSupport
import RedisClient
@testable import CacheOps

final class HealthCheckTests: XCTestCase {
    static let info = """
    # Server\r
    redis_version:7.0.15\r
    redis_mode:standalone\r
    uptime_in_seconds:3600\r
    # Clients\r
    connected_clients:7\r
    maxclients:10000\r
    # Memory\r
    used_memory:1000\r
    used_memory_human:1000B\r
    used_memory_rss:2000\r
    mem_fragmentation_ratio:2.00\r
    maxmemory:4000\r
    maxmemory_policy:allkeys-lru\r
    # Persistence\r
    loading:0\r
    rdb_last_bgsave_status:ok\r
    # Stats\r
    rejected_connections:2\r
    keyspace_hits:75\r
    keyspace_misses:25\r
    evicted_keys:4\r
    expired_keys:5\r
    # Replication\r
    role:master\r
    # Keyspace\r
    db0:keys=10,expires=3,avg_ttl=1500\r
    db2:keys=1,expires=0,avg_ttl=0\r

    """

    func testServerInfoParsesFieldsAndKeyspace() {
        let info = ServerInfo(Self.info)
        XCTAssertEqual(info["redis_version"], "7.0.15")
        XCTAssertEqual(info.int("used_memory"), 1000)
        XCTAssertEqual(info.keyspace, [KeyspaceEntry(database: 0, keys: 10, expires: 3, averageTTLMs: 1500),
                                       KeyspaceEntry(database: 2, keys: 1, expires: 0, averageTTLMs: 0)])
    }

    func testReportFiguresAndNoBreachWithinThresholds() {
        let r = HealthCheck.report(latency: LatencySummary(millis: [1, 2, 3]), info: ServerInfo(Self.info), slowlogLength: 9,
                                   thresholds: HealthThresholds(maxLatencyMs: 5, minHitRatePercent: 70, maxMemoryPercent: 30))
        XCTAssertEqual(r.version, "7.0.15")
        XCTAssertEqual(r.role, "master")
        XCTAssertEqual(r.hitRatePercent, 75)
        XCTAssertEqual(r.memoryUsedPercent, 25)
        XCTAssertEqual(r.slowlogLength, 9)
        XCTAssertEqual(r.connectedClients, 7)
        XCTAssertEqual(r.rejectedConnections, 2)
        XCTAssertTrue(r.healthy, "\(r.breaches)")
    }

    func testEveryBreachIsListed() {
        let r = HealthCheck.report(latency: LatencySummary(millis: [1, 9]), info: ServerInfo(Self.info), slowlogLength: nil,
                                   thresholds: HealthThresholds(maxLatencyMs: 5, minHitRatePercent: 80, maxMemoryPercent: 20))
        XCTAssertFalse(r.healthy)
        XCTAssertEqual(r.breaches.map(\.metric), [.latency, .hitRate, .memory])
        XCTAssertEqual(r.breaches[1], HealthBreach(metric: .hitRate, limit: 80, actual: 75, reason: "since the server started"))
    }

    func testMemoryThresholdWithoutMaxmemoryIsUncheckedAndMaxmemoryUnsetWarns() {
        let info = ServerInfo(Self.info.replacingOccurrences(of: "maxmemory:4000", with: "maxmemory:0"))
        let r = HealthCheck.report(latency: LatencySummary(millis: [1]), info: info, slowlogLength: 0,
                                   thresholds: HealthThresholds(maxMemoryPercent: 50))
        XCTAssertTrue(r.healthy)
        XCTAssertEqual(r.unchecked, [UncheckedCheck(check: "--max-memory-pct", reason: "the server has no maxmemory limit")])
        XCTAssertEqual(r.warnings.map(\.metric), [.maxmemory, .evictions, .clients], "evicted and rejected since start")
        XCTAssertNil(r.memoryUsedPercent)
        let strict = HealthCheck.report(latency: LatencySummary(millis: [1]), info: info, slowlogLength: 0,
                                        thresholds: HealthThresholds(maxMemoryPercent: 50, strict: true))
        XCTAssertEqual(strict.breaches.map(\.metric), [.unchecked])
    }

    func testPercentilesAreNearestRank() {
        let l = LatencySummary(millis: [5, 1, 4, 2, 3])
        XCTAssertEqual(l.minMs, 1)
        XCTAssertEqual(l.maxMs, 5)
        XCTAssertEqual(l.avgMs, 3)
        XCTAssertEqual(l.p50Ms, 3)
        XCTAssertEqual(l.p99Ms, 5)
    }

    func testLiveServerReportsItsVersionAndKeys() throws {
        let s = try RedisServer.shared.get()
        let conn = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port)))
        try conn.command("SET", "health:test:key", "v")
        try conn.command("GET", "health:test:key")
        let expected = try s.cli(["info", "server"]).split(whereSeparator: \.isNewline)
            .first { $0.hasPrefix("redis_version:") }?.dropFirst("redis_version:".count)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let r = try HealthCheck.run(on: conn, HealthRequest(samples: 3, thresholds: HealthThresholds()))
        XCTAssertEqual(r.version, expected)
        XCTAssertEqual(r.latency.samples, 3)
        XCTAssertEqual(r.mode, "standalone")
        XCTAssertEqual(r.role, "master")
        XCTAssertGreaterThan(r.keyspaceHits ?? 0, 0)
        XCTAssertNotNil(r.slowlogLength)
        XCTAssertGreaterThanOrEqual(r.keyspace?.first { $0.database == 0 }?.keys ?? 0, 1)
        try conn.command("DEL", "health:test:key")
    }
}
