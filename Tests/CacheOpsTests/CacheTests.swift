import XCTest
import Foundation
import TestSupport
import RedisClient
@testable import CacheOps

/// Cache keys without a server; get/set/fetch against a real one (a server of its own, so
/// no other test's FLUSHDB can race these).
final class CacheTests: XCTestCase {
    static let server: Result<RedisServer, Error> = Result { try RedisServer.start() }

    private func connect() throws -> RoutedClient {
        let s = try Self.server.get()
        return RoutedClient(seed: try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port))))
    }

    private func keys(_ name: String) -> CacheKeys {
        CacheKeys(key: Array("\(name):\(UUID().uuidString)".utf8), prefix: Array("t:".utf8))
    }

    private static let policy = FetchPolicy(ttl: .seconds(60), wait: .seconds(5), lockTTL: .seconds(5))

    // MARK: Pure

    func testCompanionKeysShareTheValuesSlotAndPrefix() {
        func text(_ b: [UInt8]) -> String { String(decoding: b, as: UTF8.self) }
        let plain = CacheKeys(key: Array("user:1".utf8), prefix: Array("app:".utf8))
        XCTAssertEqual(text(plain.value), "app:user:1")
        XCTAssertEqual(text(plain.stale), "app:stale:{app:user:1}")
        XCTAssertEqual(text(plain.lock.key), "app:lock:cache:{app:user:1}")
        let tagged = CacheKeys(key: Array("{tenant1}:product:7".utf8))
        XCTAssertEqual(text(tagged.stale), "stale:{tenant1}:product:7")
        XCTAssertEqual(text(tagged.lock.key), "lock:cache:{tenant1}:product:7")
        for prefix in ["", "p:", "{app}:"] {
            for key in ["user:1", "{t}:x", "a{b", "x{y}{z}", "é", "a\u{0}b"] {
                let k = CacheKeys(key: Array(key.utf8), prefix: Array(prefix.utf8))
                XCTAssertTrue(k.sameSlot, "\(prefix)\(key)")
                XCTAssertEqual(KeySlot.slot(for: k.stale), KeySlot.slot(for: k.value))
                XCTAssertTrue(k.stale.starts(with: Array(prefix.utf8)) && k.lock.key.starts(with: Array(prefix.utf8)))
            }
        }
        XCTAssertFalse(CacheKeys(key: Array("a}b".utf8)).sameSlot)
        XCTAssertFalse(CacheKeys(key: []).sameSlot, "an empty key without a prefix: {} is no hash tag")
    }

    // MARK: Server

    func testSetAndGetAreBinarySafeAndKeepTheTTL() throws {
        let c = try connect()
        let k = keys("bin").value
        let value: [UInt8] = [0, 10, 13, 0xff, 0x41, 0, 10]
        try Cache.set(on: c, key: k, value: value, ttl: .seconds(30))
        let entry = try XCTUnwrap(try Cache.get(on: c, key: k, withTTL: true))
        XCTAssertEqual(entry.value, value)
        XCTAssertGreaterThan(entry.ttlMs ?? 0, 25_000)
        XCTAssertNil(try Cache.get(on: c, key: keys("absent").value, withTTL: true))
        try Cache.set(on: c, key: k, value: [], ttl: nil)
        XCTAssertEqual(try Cache.get(on: c, key: k, withTTL: true), CacheEntry(value: [], ttlMs: nil))
    }

    func testAMissComputesStoresAndReleasesThenHits() throws {
        let c = try connect()
        let k = keys("miss")
        var runs = 0
        let first = try CacheFetch.fetch(on: c, keys: k, policy: Self.policy) { grant in
            runs += 1
            XCTAssertEqual(try Locks.status(on: c, keys: grant.keys).owner, grant.owner, "computed under the lock")
            return .succeeded(Array("v1".utf8))
        }
        XCTAssertEqual(first, .computed(Array("v1".utf8), stored: true))
        XCTAssertFalse(try Locks.status(on: c, keys: k.lock).isLocked, "released")
        XCTAssertEqual(try c.command([Array("EXISTS".utf8), k.lock.fenceKey], key: k.lock.fenceKey).int, 0,
                       "no fencing counter is left without TTL")
        let second = try CacheFetch.fetch(on: c, keys: k, policy: Self.policy) { _ in
            runs += 1
            return .succeeded([])
        }
        guard case .hit(let entry) = second else { return XCTFail("\(second)") }
        XCTAssertEqual(entry.value, Array("v1".utf8))
        XCTAssertGreaterThan(entry.ttlMs ?? 0, 55_000)
        XCTAssertEqual(runs, 1)
    }

    func testAFailedComputationStoresNothing() throws {
        let c = try connect()
        let k = keys("fail")
        let outcome = try CacheFetch.fetch(on: c, keys: k, policy: Self.policy) { _ in .failed(status: 7, output: Array("x".utf8)) }
        XCTAssertEqual(outcome, .failed(status: 7, output: Array("x".utf8)))
        XCTAssertNil(try Cache.get(on: c, key: k.value, withTTL: false))
        XCTAssertFalse(try Locks.status(on: c, keys: k.lock).isLocked)
    }

    func testStaleIfErrorServesTheStaleCopyAfterExpiry() throws {
        let c = try connect()
        let k = keys("stale")
        var policy = Self.policy
        policy.ttl = .milliseconds(200)
        policy.staleFor = .seconds(60)
        _ = try CacheFetch.fetch(on: c, keys: k, policy: policy) { _ in .succeeded(Array("old".utf8)) }
        XCTAssertGreaterThan(try c.command([Array("PTTL".utf8), k.stale], key: k.stale).int ?? 0, 59_000)
        Thread.sleep(forTimeInterval: 0.3)
        let outcome = try CacheFetch.fetch(on: c, keys: k, policy: policy) { _ in .failed(status: 3, output: []) }
        XCTAssertEqual(outcome, .stale(Array("old".utf8), status: 3))
        XCTAssertNil(try Cache.get(on: c, key: k.value, withTTL: false), "the failure stored nothing")
    }

    func testALostLockStoresNothing() throws {
        let c = try connect()
        let k = keys("lost")
        let outcome = try CacheFetch.fetch(on: c, keys: k, policy: Self.policy) { grant in
            try c.command([Array("SET".utf8), grant.keys.key, Array("thief".utf8)], key: grant.keys.key)
            return .succeeded(Array("late".utf8))
        }
        XCTAssertEqual(outcome, .computed(Array("late".utf8), stored: false))
        XCTAssertNil(try Cache.get(on: c, key: k.value, withTTL: false))
        XCTAssertEqual(try Locks.status(on: c, keys: k.lock).owner, Array("thief".utf8), "the other holder is left alone")
    }

    func testAWaiterReadsTheValueTheHolderStoresAndTimesOutWithoutOne() throws {
        let c = try connect()
        let k = keys("wait")
        XCTAssertNil(try Cache.tryLock(on: c, keys: k.lock, owner: Array("other".utf8), ttl: .seconds(10)))
        var policy = Self.policy
        policy.wait = .milliseconds(300)
        let timedOut = try CacheFetch.fetch(on: c, keys: k, policy: policy) { _ in .succeeded([]) }
        guard case .timedOut(let holder) = timedOut else { return XCTFail("\(timedOut)") }
        XCTAssertEqual(holder.owner, Array("other".utf8))

        let s = try Self.server.get()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) {
            _ = try? s.cli(["SET", String(decoding: k.value, as: UTF8.self), "fresh", "PX", "60000"])
        }
        policy.wait = .seconds(5)
        let waited = try CacheFetch.fetch(on: c, keys: k, policy: policy) { _ in
            XCTFail("a waiter never computes while the lock is held")
            return .succeeded([])
        }
        guard case .hit(let entry) = waited else { return XCTFail("\(waited)") }
        XCTAssertEqual(entry.value, Array("fresh".utf8))
    }

    func testRefreshAheadRecomputesOnceNearExpiryAndKeepsServingOtherwise() throws {
        let c = try connect()
        let k = keys("ahead")
        try Cache.set(on: c, key: k.value, value: Array("cur".utf8), ttl: .seconds(5))
        var policy = Self.policy
        policy.refreshWindow = .seconds(2)
        let early = try CacheFetch.fetch(on: c, keys: k, policy: policy) { _ in .succeeded(Array("new".utf8)) }
        guard case .hit(let entry) = early else { return XCTFail("\(early)") }
        XCTAssertEqual(entry.value, Array("cur".utf8), "outside the window nothing is recomputed")

        try Cache.set(on: c, key: k.value, value: Array("cur".utf8), ttl: .seconds(1))
        // Another refresher holds the lock: the current value is served at once.
        XCTAssertNil(try Cache.tryLock(on: c, keys: k.lock, owner: Array("other".utf8), ttl: .seconds(10)))
        let busy = try CacheFetch.fetch(on: c, keys: k, policy: policy) { _ in .succeeded(Array("new".utf8)) }
        guard case .hit(let served) = busy else { return XCTFail("\(busy)") }
        XCTAssertEqual(served.value, Array("cur".utf8))
        _ = try Locks.release(on: c, keys: k.lock, owner: Array("other".utf8))

        let failed = try CacheFetch.fetch(on: c, keys: k, policy: policy) { _ in .failed(status: 4, output: []) }
        guard case .refreshFailed(let kept, 4) = failed else { return XCTFail("\(failed)") }
        XCTAssertEqual(kept.value, Array("cur".utf8))

        let refreshed = try CacheFetch.fetch(on: c, keys: k, policy: policy) { _ in .succeeded(Array("new".utf8)) }
        XCTAssertEqual(refreshed, .computed(Array("new".utf8), stored: true))
        XCTAssertGreaterThan(try Cache.get(on: c, key: k.value, withTTL: true)?.ttlMs ?? 0, 55_000)
    }
}
