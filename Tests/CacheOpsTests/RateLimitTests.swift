import XCTest
import Foundation
import TestSupport
import RedisClient
@testable import CacheOps

/// The applications' key and per-endpoint presets without a server; each algorithm's script
/// against a real one.
final class RateLimitTests: XCTestCase {
    // MARK: Pure

    func testSeedKeyBuilderSanitisesEndpoints() {
        XCTAssertEqual(String(decoding: SeedRateLimits.key(ip: Array("1.2.3.4".utf8), endpoint: Array("/api/auth/login".utf8)), as: UTF8.self),
                       "rate:1.2.3.4:_api_auth_login")
        XCTAssertEqual(SeedRateLimits.endpoint(fromKeySuffix: Array("_api_auth_login".utf8)), Array("/api/auth/login".utf8))
    }

    func testSeedPresets() {
        func limit(_ path: String) -> Int64 { SeedRateLimits.preset(for: Array(path.utf8)).limit }
        XCTAssertEqual(limit("/api/auth/login"), 5)
        XCTAssertEqual(limit("/api/auth/register"), 3)
        XCTAssertEqual(limit("/api/otp/send"), 3)
        XCTAssertEqual(limit("/api/payments"), 30)
        XCTAssertEqual(limit("/api/payments/42"), 30, "a preset covers the paths below it")
        XCTAssertEqual(limit("/api/paymentsx"), 100, "but not a longer name")
        XCTAssertEqual(limit("/api/search"), 100)
        XCTAssertEqual(SeedRateLimits.preset(for: Array("/api/auth/login".utf8)).window, .seconds(60))
    }

    func testGlobEscapingKeepsLiteralsLiteral() {
        XCTAssertEqual(String(decoding: GlobPattern.escape(Array("a*b?[c]\\d".utf8)), as: UTF8.self), "a\\*b\\?\\[c\\]\\\\d")
    }

    func testWholeUnitsRoundUp() {
        XCTAssertEqual(wholeMilliseconds(.microseconds(1500)), 2)
        XCTAssertEqual(wholeMilliseconds(.seconds(2)), 2000)
        XCTAssertEqual(wholeSecondsRoundedUp(milliseconds: 1), 1)
        XCTAssertEqual(wholeSecondsRoundedUp(milliseconds: 60_000), 60)
        XCTAssertEqual(wholeSecondsRoundedUp(milliseconds: 0), 0)
    }

    // MARK: fixed

    func testFixedAllowsTheLimitThenDeniesWithoutCounting() throws {
        let (conn, key) = try setUpKey("fixed")
        let policy = RateLimitPolicy(limit: 3, window: .seconds(30))
        for n in 1...3 {
            let r = try RateLimits.check(on: conn, key: key, policy: policy)
            XCTAssertTrue(r.allowed)
            XCTAssertEqual(r.total, Int64(n))
            XCTAssertEqual(r.remaining, Int64(3 - n))
            XCTAssertNil(r.retryAfterMs)
        }
        let denied = try RateLimits.check(on: conn, key: key, policy: policy)
        XCTAssertFalse(denied.allowed)
        XCTAssertEqual(denied.total, 3, "denied requests are not counted")
        XCTAssertEqual(denied.remaining, 0)
        XCTAssertEqual(denied.resetInSeconds, 30)
        XCTAssertGreaterThan(denied.retryAfterMs ?? 0, 29_000)
        let pttl = try XCTUnwrap(try conn.command([Array("PTTL".utf8), key]).int)
        XCTAssertTrue((29_000...30_000).contains(pttl), "the counter expires with its window: \(pttl)")
    }

    func testFixedAllowsAgainAfterTheWindow() throws {
        let (conn, key) = try setUpKey("fixed-window")
        let policy = RateLimitPolicy(limit: 1, window: .milliseconds(300))
        XCTAssertTrue(try RateLimits.check(on: conn, key: key, policy: policy).allowed)
        XCTAssertFalse(try RateLimits.check(on: conn, key: key, policy: policy).allowed)
        usleep(400_000)
        XCTAssertTrue(try RateLimits.check(on: conn, key: key, policy: policy).allowed)
    }

    func testFixedRepairsACounterWithoutTTL() throws {
        let (conn, key) = try setUpKey("fixed-repair")
        try conn.command([Array("SET".utf8), key, Array("2".utf8)])
        let policy = RateLimitPolicy(limit: 5, window: .seconds(20))
        let status = try RateLimits.status(on: conn, key: key, policy: policy)
        XCTAssertNil(status.resetInMs, "status reports the missing TTL")
        XCTAssertEqual(try conn.command([Array("PTTL".utf8), key]).int, -1, "status writes nothing")
        let r = try RateLimits.check(on: conn, key: key, policy: policy)
        XCTAssertTrue(r.repairedTTL)
        XCTAssertEqual(r.total, 3)
        XCTAssertGreaterThan(try conn.command([Array("PTTL".utf8), key]).int ?? -1, 19_000)
    }

    func testStatusConsumesNothing() throws {
        let (conn, key) = try setUpKey("status")
        let policy = RateLimitPolicy(limit: 2, window: .seconds(10))
        let empty = try RateLimits.status(on: conn, key: key, policy: policy)
        XCTAssertEqual(empty, RateLimitResult(allowed: true, total: 0, remaining: 2, limit: 2, resetInMs: 0, retryAfterMs: nil))
        XCTAssertEqual(try conn.command([Array("EXISTS".utf8), key]).int, 0)
        _ = try RateLimits.check(on: conn, key: key, policy: policy, cost: 2)
        for _ in 0..<3 {
            let s = try RateLimits.status(on: conn, key: key, policy: policy)
            XCTAssertFalse(s.allowed)
            XCTAssertEqual(s.total, 2)
        }
    }

    func testCostCountsSeveralUnits() throws {
        let (conn, key) = try setUpKey("cost")
        let policy = RateLimitPolicy(limit: 5, window: .seconds(10))
        XCTAssertEqual(try RateLimits.check(on: conn, key: key, policy: policy, cost: 3).remaining, 2)
        XCTAssertFalse(try RateLimits.check(on: conn, key: key, policy: policy, cost: 3).allowed)
        XCTAssertTrue(try RateLimits.check(on: conn, key: key, policy: policy, cost: 2).allowed)
    }

    // MARK: sliding

    func testSlidingLogCountsExactlyWithinTheWindow() throws {
        let (conn, key) = try setUpKey("sliding")
        let policy = RateLimitPolicy(algorithm: .sliding, limit: 3, window: .milliseconds(600))
        for _ in 0..<3 { XCTAssertTrue(try RateLimits.check(on: conn, key: key, policy: policy).allowed) }
        let denied = try RateLimits.check(on: conn, key: key, policy: policy)
        XCTAssertFalse(denied.allowed)
        XCTAssertEqual(denied.total, 3)
        let retry = try XCTUnwrap(denied.retryAfterMs)
        XCTAssertTrue((1...600).contains(retry), "\(retry)")
        XCTAssertEqual(try conn.command([Array("ZCARD".utf8), key]).int, 3, "one unique member per request")
        XCTAssertGreaterThan(try conn.command([Array("PTTL".utf8), key]).int ?? -1, 0, "the log expires")
        usleep(UInt32(retry + 50) * 1000)
        XCTAssertTrue(try RateLimits.check(on: conn, key: key, policy: policy).allowed, "the oldest entry has slid out")
    }

    // MARK: gcra

    func testGCRAAllowsTheBurstThenOneEveryInterval() throws {
        let (conn, key) = try setUpKey("gcra")
        // 10 per 10 s: one every second, at most 2 at once.
        let policy = RateLimitPolicy(algorithm: .gcra, limit: 10, window: .seconds(10), burst: 2)
        let first = try RateLimits.check(on: conn, key: key, policy: policy)
        XCTAssertTrue(first.allowed)
        XCTAssertEqual(first.remaining, 1)
        XCTAssertTrue(try RateLimits.check(on: conn, key: key, policy: policy).allowed)
        let denied = try RateLimits.check(on: conn, key: key, policy: policy)
        XCTAssertFalse(denied.allowed)
        XCTAssertEqual(denied.remaining, 0)
        let retry = try XCTUnwrap(denied.retryAfterMs)
        XCTAssertTrue((500...1000).contains(retry), "the next slot is one interval after the first request: \(retry)")
        XCTAssertTrue((1...2000).contains(denied.resetInMs ?? -1), "full again two intervals after the burst")
        let pttl = try XCTUnwrap(try conn.command([Array("PTTL".utf8), key]).int)
        XCTAssertTrue((1...2000).contains(pttl), "the key expires when the bucket is full again: \(pttl)")
    }

    func testGCRABurstDefaultsToTheLimit() throws {
        let (conn, key) = try setUpKey("gcra-default")
        let policy = RateLimitPolicy(algorithm: .gcra, limit: 4, window: .seconds(60))
        for _ in 0..<4 { XCTAssertTrue(try RateLimits.check(on: conn, key: key, policy: policy).allowed) }
        XCTAssertFalse(try RateLimits.check(on: conn, key: key, policy: policy).allowed)
    }

    // MARK: per IP

    func testIPStatusAndKeysFindEveryEndpointOfThatIPOnly() throws {
        let (conn, _) = try setUpKey("ip")
        let prefix = Array("t\(UUID().uuidString.prefix(8)):".utf8)
        let ip = Array("10.0.0.1".utf8)
        let login = prefix + SeedRateLimits.key(ip: ip, endpoint: Array("/api/auth/login".utf8))
        let search = prefix + SeedRateLimits.key(ip: ip, endpoint: Array("/api/search".utf8))
        let other = prefix + SeedRateLimits.key(ip: Array("10.0.0.11".utf8), endpoint: Array("/api/search".utf8))
        addTeardownBlock { _ = try? conn.command([Array("DEL".utf8), login, search, other]) }
        for key in [login, login, search, other] {
            _ = try RateLimits.check(on: conn, key: key, policy: RateLimitPolicy(limit: 50, window: .seconds(60)))
        }
        let routed = RoutedClient(seed: conn)
        XCTAssertEqual(try RateLimits.seedKeys(on: routed, ip: ip, prefix: prefix), [login, search])
        let statuses = try RateLimits.ipStatus(on: routed, ip: ip, prefix: prefix) { endpoint in
            let p = SeedRateLimits.preset(for: endpoint)
            return RateLimitPolicy(limit: p.limit, window: p.window)
        }
        XCTAssertEqual(statuses.map { String(decoding: $0.endpoint, as: UTF8.self) }, ["/api/auth/login", "/api/search"])
        XCTAssertEqual(statuses.map(\.result.total), [2, 1])
        XCTAssertEqual(statuses.map(\.result.limit), [5, 100])
        XCTAssertEqual(try RateLimits.delete(on: conn, keys: [login, search]), 2)
        XCTAssertEqual(try RateLimits.seedKeys(on: routed, ip: ip, prefix: prefix), [])
    }

    // MARK: Helpers

    private func setUpKey(_ name: String) throws -> (RedisConnection, [UInt8]) {
        let s = try RedisServer.shared.get()
        let conn = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port), database: 12))
        let key = Array("test:rate:\(name):\(UUID().uuidString)".utf8)
        addTeardownBlock { _ = try? conn.command([Array("DEL".utf8), key]) }
        return (conn, key)
    }
}
