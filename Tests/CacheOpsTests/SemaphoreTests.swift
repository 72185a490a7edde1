import XCTest
import Foundation
import TestSupport
import RedisClient
@testable import CacheOps

/// Semaphores (`lock … --holders N`) against a real server: the limit, owner checks,
/// fencing tokens, FIFO fairness, lapsing leases and places, and keys that expire.
final class SemaphoreTests: XCTestCase {
    func testKeysShareTheLockSlotAndStartWithThePrefix() {
        let plain = SemaphoreKeys(name: Array("sem".utf8))
        XCTAssertEqual(String(decoding: plain.holders, as: UTF8.self), "semaphore:{lock:sem}:holders")
        XCTAssertEqual(String(decoding: plain.lock.fenceKey, as: UTF8.self), "fence:{lock:sem}")
        let tagged = SemaphoreKeys(name: Array("{user1}:jobs".utf8), prefix: Array("app:".utf8))
        XCTAssertEqual(String(decoding: tagged.queue, as: UTF8.self), "app:semaphore:lock:{user1}:jobs:queue")
        for prefix in ["p:", "", "{app}:"] {
            for name in ["sem", "{user1}:profile", "a{b", "é:ü", ""] {
                let keys = SemaphoreKeys(name: Array(name.utf8), prefix: Array(prefix.utf8))
                XCTAssertTrue(keys.sameSlot, name)
                for key in keys.all {
                    XCTAssertTrue(key.starts(with: Array(prefix.utf8)), name)
                    XCTAssertEqual(KeySlot.slot(for: key), KeySlot.slot(for: keys.lock.key), name)
                }
            }
        }
        XCTAssertFalse(SemaphoreKeys(name: Array("a}b".utf8), prefix: Array("p:".utf8)).sameSlot)
    }

    func testAtMostNHoldersEachWithItsOwnTokenAndOwnerChecks() throws {
        let (conn, keys) = try setUp("limit")
        var tokens: [Int64] = []
        for owner in ["a", "b", "c"] {
            guard case .acquired(let token) = try acquire(conn, keys, owner) else { return XCTFail("\(owner) not granted") }
            tokens.append(token)
        }
        XCTAssertEqual(tokens, tokens.sorted())
        XCTAssertEqual(Set(tokens).count, 3)
        guard case .full(let position, let state) = try acquire(conn, keys, "d") else { return XCTFail("a fourth holder") }
        XCTAssertEqual(position, 0, "a single try reports it would be next")
        XCTAssertEqual(Set(state.holders.map { String(decoding: $0.owner, as: UTF8.self) }), ["a", "b", "c"])
        XCTAssertEqual(state.waiting, 0, "a single try leaves no place behind")
        guard case .full(-1, _) = try acquire(conn, keys, "a") else { return XCTFail("a grant was repeated") }

        guard case .notOwner = try Semaphores.release(on: conn, keys: keys, owner: Array("d".utf8)) else {
            return XCTFail("released without a lease")
        }
        guard case .notOwner = try Semaphores.extend(on: conn, keys: keys, owner: Array("d".utf8), ttl: .seconds(5)) else {
            return XCTFail("extended without a lease")
        }
        XCTAssertEqual(try Semaphores.release(on: conn, keys: keys, owner: Array("b".utf8)), .done)
        guard case .acquired(let token) = try acquire(conn, keys, "d") else { return XCTFail("d not granted after a release") }
        XCTAssertGreaterThan(token, tokens.max() ?? 0)
        XCTAssertEqual(try Semaphores.status(on: conn, keys: keys).holders.count, 3)
    }

    func testWaitersAreServedInTicketOrder() throws {
        let (conn, keys) = try setUp("fifo")
        for owner in ["a", "b"] { _ = try acquire(conn, keys, owner, limit: 2) }
        guard case .full(0, _) = try acquire(conn, keys, "w1", limit: 2, enqueue: true) else { return XCTFail("w1 first in line") }
        guard case .full(1, let state) = try acquire(conn, keys, "w2", limit: 2, enqueue: true) else { return XCTFail("w2 second") }
        XCTAssertEqual(state.waiting, 2)
        XCTAssertEqual(try Semaphores.release(on: conn, keys: keys, owner: Array("a".utf8)), .done)
        guard case .full(1, _) = try acquire(conn, keys, "w2", limit: 2, enqueue: true) else {
            return XCTFail("the freed slot is w1's, not w2's")
        }
        guard case .full = try acquire(conn, keys, "x", limit: 2) else { return XCTFail("a newcomer jumped the queue") }
        guard case .acquired = try acquire(conn, keys, "w1", limit: 2, enqueue: true) else { return XCTFail("w1 not served") }
        XCTAssertEqual(try Semaphores.release(on: conn, keys: keys, owner: Array("b".utf8)), .done)
        guard case .acquired = try acquire(conn, keys, "w2", limit: 2, enqueue: true) else { return XCTFail("w2 not served") }
        XCTAssertEqual(try Semaphores.status(on: conn, keys: keys).waiting, 0)
    }

    func testLapsedLeasesAndAbandonedPlacesFreeTheirSlots() throws {
        let (conn, keys) = try setUp("lapse")
        _ = try acquire(conn, keys, "short", limit: 1, ttl: .milliseconds(150))
        guard case .full(0, _) = try Semaphores.acquire(on: conn, keys: keys, owner: Array("dead".utf8), ttl: .seconds(5),
                                                        limit: 1, enqueue: true, queuePlace: .milliseconds(200)) else {
            return XCTFail("dead waiter not queued")
        }
        guard case .full(1, _) = try acquire(conn, keys, "live", limit: 1, enqueue: true) else { return XCTFail("live behind dead") }
        Thread.sleep(forTimeInterval: 0.3)
        // The lease lapsed and the dead waiter stopped asking: the live one is next.
        guard case .acquired = try acquire(conn, keys, "live", limit: 1, enqueue: true) else {
            return XCTFail("an abandoned place blocked the queue")
        }
    }

    func testWaitingAcquireGetsTheSlotAndGivingUpLeavesTheQueue() throws {
        let (conn, keys) = try setUp("wait")
        _ = try acquire(conn, keys, "holder", limit: 1, ttl: .milliseconds(200))
        var backoff = LockBackoff()
        let (attempt, _) = try Semaphores.acquire(on: conn, keys: keys, owner: Array("waiter".utf8), ttl: .seconds(5),
                                                  limit: 1, wait: .seconds(3), backoff: &backoff)
        guard case .acquired = attempt else { return XCTFail("the waiter did not get the lapsed slot") }
        let (late, _) = try Semaphores.acquire(on: conn, keys: keys, owner: Array("late".utf8), ttl: .seconds(5),
                                               limit: 1, wait: .milliseconds(100), backoff: &backoff)
        guard case .full = late else { return XCTFail("granted beyond the limit") }
        XCTAssertEqual(try Semaphores.status(on: conn, keys: keys).waiting, 0, "a waiter that gave up left the queue")
    }

    /// Only the fence counter lives without a TTL (as for mutexes); every other key
    /// expires with its last entry, so `keys audit` stays clean.
    func testEveryKeyButTheFenceCounterExpires() throws {
        let (conn, keys) = try setUp("ttl")
        _ = try acquire(conn, keys, "a", limit: 1)
        _ = try acquire(conn, keys, "b", limit: 1, enqueue: true)
        for key in [keys.holders, keys.queue, keys.deadlines, keys.tickets] {
            let pttl = try conn.command([Array("PTTL".utf8), key]).int ?? -3
            XCTAssertGreaterThan(pttl, 0, String(decoding: key, as: UTF8.self))
        }
        XCTAssertEqual(try conn.command([Array("PTTL".utf8), keys.lock.fenceKey]).int, -1)
        XCTAssertEqual(try Semaphores.extend(on: conn, keys: keys, owner: Array("a".utf8), ttl: .seconds(60)), .done)
        let pttl = try conn.command([Array("PTTL".utf8), keys.holders]).int ?? 0
        XCTAssertGreaterThan(pttl, 50_000, "the holders set lives as long as its longest lease")
        try Semaphores.leave(on: conn, keys: keys, owner: Array("b".utf8))
        XCTAssertEqual(try conn.command([Array("EXISTS".utf8), keys.queue, keys.tickets, keys.deadlines]).int, 0)
    }

    func testRenewerKeepsASemaphoreLeaseAndNoticesItsLoss() throws {
        let s = try RedisServer.shared.get()
        let (conn, keys) = try setUp("renew")
        _ = try acquire(conn, keys, "me", limit: 2, ttl: .seconds(2))
        var renewer = LockRenewer(keys: keys.lock, owner: Array("me".utf8), ttl: .seconds(2),
                                  config: ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port), database: Self.database),
                                  semaphore: keys)
        XCTAssertEqual(renewer.renew(), .renewed)
        XCTAssertEqual(try renewer.release(), .done)
        guard case .lost = renewer.renew() else { return XCTFail("renewed a released lease") }
    }

    /// The semaphore draws from the mutex's counter, so it carries on from the earlier layout too.
    func testTokensCarryOnFromTheEarlierCounterLayout() throws {
        let (conn, keys) = try setUp("legacy")
        let legacy = try XCTUnwrap(keys.lock.legacyFenceKey)
        addTeardownBlock { _ = try? conn.command([Array("DEL".utf8), legacy]) }
        try conn.command([Array("SET".utf8), legacy, Array("99".utf8)])
        XCTAssertEqual(try acquire(conn, keys, "a"), .acquired(token: 100))
        XCTAssertEqual(try acquire(conn, keys, "b"), .acquired(token: 101))
    }

    // MARK: Helpers

    static let database = 11

    private func acquire(_ conn: RedisConnection, _ keys: SemaphoreKeys, _ owner: String, limit: Int = 3,
                         ttl: Duration = .seconds(30), enqueue: Bool = false) throws -> SemaphoreAttempt {
        try Semaphores.acquire(on: conn, keys: keys, owner: Array(owner.utf8), ttl: ttl, limit: limit, enqueue: enqueue)
    }

    private func setUp(_ name: String) throws -> (RedisConnection, SemaphoreKeys) {
        let s = try RedisServer.shared.get()
        let conn = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port), database: Self.database))
        let keys = SemaphoreKeys(name: Array("test:sem:\(name):\(UUID().uuidString)".utf8))
        addTeardownBlock { _ = try? conn.command([Array("DEL".utf8)] + keys.all) }
        return (conn, keys)
    }
}
