import XCTest
import Foundation
import TestSupport
import RedisClient
@testable import CacheOps

/// Lock keys, owners and timing without a server; the scripts against a real one.
final class LockTests: XCTestCase {
    // MARK: Pure

    func testKeyLayoutFollowsSeed001AndThePrefix() {
        let plain = LockKeys(name: Array("payment:123".utf8))
        XCTAssertEqual(String(decoding: plain.key, as: UTF8.self), "lock:payment:123")
        XCTAssertEqual(String(decoding: plain.fenceKey, as: UTF8.self), "fence:{lock:payment:123}")
        let prefixed = LockKeys(name: Array("payment:123".utf8), prefix: Array("app:".utf8))
        XCTAssertEqual(String(decoding: prefixed.key, as: UTF8.self), "app:lock:payment:123")
        XCTAssertEqual(String(decoding: prefixed.fenceKey, as: UTF8.self), "app:fence:{app:lock:payment:123}")
        let tagged = LockKeys(name: Array("{user1}:profile".utf8))
        XCTAssertEqual(String(decoding: tagged.fenceKey, as: UTF8.self), "fence:lock:{user1}:profile")
        let clusterPrefix = LockKeys(name: Array("job".utf8), prefix: Array("{app}:".utf8))
        XCTAssertEqual(String(decoding: clusterPrefix.fenceKey, as: UTF8.self), "{app}:fence:lock:job")
    }

    /// The fence counter must hash to the lock key's cluster slot, or one script could not
    /// touch both on a cluster; both start with the prefix, so `~PREFIX*` covers them.
    /// Names with a `}` outside a valid hash tag cannot: `sameSlot` says so, and the
    /// command refuses them.
    func testFenceKeyIsInTheLockKeysSlotAndUnderThePrefix() {
        for prefix in ["p:", "", "{app}:"] {
            for name in ["payment:123", "{user1}:profile", "a{b", "x{y}{z}", "deploy", "é:ü", "{a}}b", ""] {
                let keys = LockKeys(name: Array(name.utf8), prefix: Array(prefix.utf8))
                XCTAssertEqual(Self.slot(keys.fenceKey), Self.slot(keys.key), name)
                XCTAssertTrue(keys.sameSlot, name)
                XCTAssertTrue(keys.fenceKey.starts(with: Array(prefix.utf8)), name)
                XCTAssertTrue(LockKeys.isFenceCounter(keys.fenceKey, prefix: Array(prefix.utf8)), name)
                XCTAssertFalse(LockKeys.isFenceCounter(keys.key, prefix: Array(prefix.utf8)), name)
            }
        }
        for name in ["a}b", "}{", "x}"] {
            XCTAssertFalse(LockKeys(name: Array(name.utf8), prefix: Array("p:".utf8)).sameSlot, name)
        }
        XCTAssertTrue(LockKeys.isFenceCounter(Array("{lock:old}:fence".utf8), prefix: []), "the earlier layout")
        XCTAssertTrue(LockKeys.isFenceCounter(Array("lock:{old}:fence".utf8), prefix: []), "the earlier layout, tagged name")
        XCTAssertTrue(LockKeys.isFenceCounter(Array("{app}:lock:old:fence".utf8), prefix: Array("{app}:".utf8)),
                      "the earlier layout, tagged prefix")
        XCTAssertFalse(LockKeys.isFenceCounter(Array("lock:old:fence".utf8), prefix: []), "no tag: not a counter of ours")
        XCTAssertFalse(LockKeys.isFenceCounter(Array("fence:{other}".utf8), prefix: []))
        XCTAssertFalse(LockKeys.isFenceCounter(Array("app:fence:x".utf8), prefix: Array("app:".utf8)))
    }

    func testOwnerHasTheSeedShape() throws {
        let owner = String(decoding: LockOwner.generate(), as: UTF8.self)
        let parts = owner.split(separator: ":", omittingEmptySubsequences: false)
        XCTAssertEqual(parts.count, 3, owner)
        XCTAssertEqual(parts[1], Substring(String(getpid())))
        XCTAssertEqual(parts[2].count, 6)
        XCTAssertTrue(parts[2].allSatisfy { $0.isLowercase || $0.isNumber }, owner)
        XCTAssertNotEqual(LockOwner.generate(), LockOwner.generate(), "the random part tells two owners of one process apart")
    }

    func testBackoffDoublesWithJitterUpToTheCap() {
        var backoff = LockBackoff(initial: .milliseconds(10), cap: .milliseconds(40))
        let steps: [Duration] = [.milliseconds(10), .milliseconds(20), .milliseconds(40), .milliseconds(40)]
        for step in steps {
            let delay = backoff.nextDelay()
            XCTAssertGreaterThanOrEqual(delay, step / 2)
            XCTAssertLessThanOrEqual(delay, step)
        }
    }

    func testLeaseRenewsEveryThirdAndExpiresWithoutRenewal() {
        let t0 = ContinuousClock.now
        var lease = LockLease(ttl: .seconds(3), sentAt: t0)
        XCTAssertEqual(lease.nextRenewal, t0 + .seconds(1))
        XCTAssertEqual(lease.validUntil, t0 + .seconds(3))
        lease.renewed(sentAt: t0 + .seconds(1))
        XCTAssertEqual(lease.nextRenewal, t0 + .seconds(2))
        XCTAssertEqual(lease.validUntil, t0 + .seconds(4))
        // Failures retry after ttl/10 but never past the last safe moment.
        lease.renewalFailed(at: t0 + .seconds(2))
        XCTAssertEqual(lease.nextRenewal, t0 + .milliseconds(2300))
        lease.renewalFailed(at: t0 + .milliseconds(3900))
        XCTAssertEqual(lease.nextRenewal, t0 + .seconds(4))
        XCTAssertFalse(lease.hasExpired(at: t0 + .milliseconds(3999)))
        XCTAssertTrue(lease.hasExpired(at: t0 + .seconds(4)))
    }

    // MARK: Against a server

    func testAcquireGrantsOnceAndTellsOthersWhoHoldsIt() throws {
        let (conn, keys) = try setUpLock("acquire")
        XCTAssertEqual(try Locks.acquire(on: conn, keys: keys, owner: Array("a".utf8), ttl: .seconds(30)), .acquired(token: 1))
        guard case .held(let state) = try Locks.acquire(on: conn, keys: keys, owner: Array("b".utf8), ttl: .seconds(30)) else {
            return XCTFail("a held lock was granted twice")
        }
        XCTAssertEqual(state.owner, Array("a".utf8))
        XCTAssertGreaterThan(state.ttlMs ?? 0, 29_000)
        XCTAssertEqual(try conn.command([Array("GET".utf8), keys.key]).bytes, Array("a".utf8), "the key holds the owner, as applications expect")
        guard case .held(let again) = try Locks.acquire(on: conn, keys: keys, owner: Array("a".utf8), ttl: .seconds(30)) else {
            return XCTFail("even its owner is not granted a lock twice")
        }
        XCTAssertEqual(again.owner, Array("a".utf8))
    }

    func testFencingTokensStrictlyIncreaseAcrossGrants() throws {
        let (conn, keys) = try setUpLock("fence")
        var last: Int64 = 0
        for i in 0..<5 {
            let owner = Array("owner\(i)".utf8)
            guard case .acquired(let token) = try Locks.acquire(on: conn, keys: keys, owner: owner, ttl: .seconds(10)) else {
                return XCTFail("grant \(i) refused")
            }
            XCTAssertGreaterThan(token, last)
            last = token
            XCTAssertEqual(try Locks.release(on: conn, keys: keys, owner: owner), .done)
        }
        // A refused attempt draws no token.
        _ = try Locks.acquire(on: conn, keys: keys, owner: Array("x".utf8), ttl: .seconds(10))
        _ = try Locks.acquire(on: conn, keys: keys, owner: Array("y".utf8), ttl: .seconds(10))
        XCTAssertEqual(try conn.command([Array("GET".utf8), keys.fenceKey]).string, "\(last + 1)")
        XCTAssertEqual(try conn.command([Array("PTTL".utf8), keys.fenceKey]).int, -1, "the fence never expires, so tokens never go back")
    }

    func testReleaseAndExtendNeverTouchAnotherOwnersLock() throws {
        let (conn, keys) = try setUpLock("owner-check")
        try conn.command([Array("SET".utf8), keys.key, Array("theirs".utf8), Array("PX".utf8), Array("50000".utf8)])
        guard case .notOwner(let state) = try Locks.release(on: conn, keys: keys, owner: Array("mine".utf8)) else {
            return XCTFail("released another owner's lock")
        }
        XCTAssertEqual(state.owner, Array("theirs".utf8))
        guard case .notOwner(let seen) = try Locks.extend(on: conn, keys: keys, owner: Array("mine".utf8), ttl: .seconds(300)) else {
            return XCTFail("extended another owner's lock")
        }
        XCTAssertEqual(seen.owner, Array("theirs".utf8))
        XCTAssertEqual(try conn.command([Array("GET".utf8), keys.key]).bytes, Array("theirs".utf8))
        let pttl = try XCTUnwrap(try conn.command([Array("PTTL".utf8), keys.key]).int)
        XCTAssertTrue((40_000...50_000).contains(pttl), "extend must not have replaced their TTL: \(pttl)")
        // On a free lock, too, nothing is created.
        try conn.command([Array("DEL".utf8), keys.key])
        XCTAssertEqual(try Locks.extend(on: conn, keys: keys, owner: Array("mine".utf8), ttl: .seconds(5)),
                       .notOwner(LockState(owner: nil, ttlMs: nil)))
        XCTAssertEqual(try conn.command([Array("EXISTS".utf8), keys.key]).int, 0)
    }

    func testExtendReplacesTheOwnersTTL() throws {
        let (conn, keys) = try setUpLock("extend")
        _ = try Locks.acquire(on: conn, keys: keys, owner: Array("me".utf8), ttl: .seconds(5))
        XCTAssertEqual(try Locks.extend(on: conn, keys: keys, owner: Array("me".utf8), ttl: .seconds(100)), .done)
        XCTAssertGreaterThan(try Locks.status(on: conn, keys: keys).ttlMs ?? 0, 99_000)
        XCTAssertEqual(try Locks.extend(on: conn, keys: keys, owner: Array("me".utf8), ttl: .seconds(2)), .done)
        XCTAssertLessThanOrEqual(try Locks.status(on: conn, keys: keys).ttlMs ?? .max, 2_000, "extend replaces, it does not add")
    }

    func testStatusReadsHolderAndTTL() throws {
        let (conn, keys) = try setUpLock("status")
        XCTAssertEqual(try Locks.status(on: conn, keys: keys), LockState(owner: nil, ttlMs: nil))
        try conn.command([Array("SET".utf8), keys.key, Array("node1:1234:abc123".utf8)])
        XCTAssertEqual(try Locks.status(on: conn, keys: keys), LockState(owner: Array("node1:1234:abc123".utf8), ttlMs: -1))
    }

    func testWaitingAcquireTakesTheLockWhenItExpires() throws {
        let (conn, keys) = try setUpLock("wait")
        _ = try Locks.acquire(on: conn, keys: keys, owner: Array("first".utf8), ttl: .milliseconds(300))
        var backoff = LockBackoff()
        let start = ContinuousClock.now
        let (attempt, _) = try Locks.acquire(on: conn, keys: keys, owner: Array("second".utf8), ttl: .seconds(5),
                                             wait: .seconds(3), backoff: &backoff)
        guard case .acquired = attempt else { return XCTFail("did not get the lock after its holder's TTL") }
        XCTAssertLessThan(ContinuousClock.now - start, .seconds(2))
        let (refused, _) = try Locks.acquire(on: conn, keys: keys, owner: Array("third".utf8), ttl: .seconds(5),
                                             wait: .milliseconds(200), backoff: &backoff)
        guard case .held = refused else { return XCTFail("granted a held lock") }
    }

    /// Counters written by versions before the counter moved under the prefix
    /// (`{PREFIX lock:NAME}:fence`) carry on: a token never goes back after an upgrade.
    func testTokensCarryOnFromTheEarlierCounterLayout() throws {
        let (conn, keys) = try setUpLock("legacy")
        let legacy = try XCTUnwrap(keys.legacyFenceKey)
        XCTAssertEqual(legacy, Array("{".utf8) + keys.key + Array("}:fence".utf8))
        addTeardownBlock { _ = try? conn.command([Array("DEL".utf8), legacy]) }
        try conn.command([Array("SET".utf8), legacy, Array("41".utf8)])
        XCTAssertEqual(try Locks.acquire(on: conn, keys: keys, owner: Array("a".utf8), ttl: .seconds(5)), .acquired(token: 42))
        XCTAssertEqual(try Locks.release(on: conn, keys: keys, owner: Array("a".utf8)), .done)
        // Read once: the new counter goes its own way from then on, the old key is left alone.
        try conn.command([Array("SET".utf8), legacy, Array("1000".utf8)])
        XCTAssertEqual(try Locks.acquire(on: conn, keys: keys, owner: Array("b".utf8), ttl: .seconds(5)), .acquired(token: 43))
        XCTAssertEqual(try conn.command([Array("GET".utf8), legacy]).string, "1000")
        // A key with a hash tag of its own kept its old counter at KEY:fence (same slot).
        for (name, prefix) in [("{job-\(UUID().uuidString)}", ""), ("job-\(UUID().uuidString)", "{app}:")] {
            let tagged = LockKeys(name: Array(name.utf8), prefix: Array(prefix.utf8))
            let old = try XCTUnwrap(tagged.legacyFenceKey)
            XCTAssertEqual(old, tagged.key + Array(":fence".utf8))
            addTeardownBlock { _ = try? conn.command([Array("DEL".utf8), old, tagged.key, tagged.fenceKey]) }
            try conn.command([Array("SET".utf8), old, Array("41".utf8)])
            XCTAssertEqual(try Locks.acquire(on: conn, keys: tagged, owner: Array("t".utf8), ttl: .seconds(5)),
                           .acquired(token: 42), "\(prefix)\(name)")
        }
        // Garbage in the old key is ignored, not an error, and never copied: the next grant
        // draws 2 (before, a 20-digit value was copied and every later INCR failed).
        for garbage in ["not a count", "007", "-5", "99999999999999999999", "9223372036854775807"] {
            let (other, fresh) = try setUpLock("legacy-garbage")
            let oldKey = try XCTUnwrap(fresh.legacyFenceKey)
            addTeardownBlock { _ = try? other.command([Array("DEL".utf8), oldKey]) }
            try other.command([Array("SET".utf8), oldKey, Array(garbage.utf8)])
            XCTAssertEqual(try Locks.acquire(on: other, keys: fresh, owner: Array("c".utf8), ttl: .milliseconds(1)),
                           .acquired(token: 1), garbage)
            usleep(5_000)
            XCTAssertEqual(try Locks.acquire(on: other, keys: fresh, owner: Array("c".utf8), ttl: .seconds(5)),
                           .acquired(token: 2), garbage)
        }
    }

    /// The earlier counter lies outside `~PREFIX*`: a least-privilege user still gets the lock.
    func testAUserWhoMayNotReadTheEarlierCounterStillGetsTheLock() throws {
        let s = try RestrictedServers.aclUser.get()
        let admin = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port)))
        var config = ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port))
        config.username = "app"
        config.password = "app-pw"
        let app = try RedisConnection.connect(config)
        let keys = LockKeys(name: Array("legacy-acl-\(getpid())".utf8), prefix: Array("app:".utf8))
        let legacy = try XCTUnwrap(keys.legacyFenceKey)
        try admin.command([Array("SET".utf8), legacy, Array("7".utf8)])
        defer { _ = try? admin.command([Array("DEL".utf8), legacy, keys.key, keys.fenceKey]) }
        XCTAssertEqual(try Locks.acquire(on: app, keys: keys, owner: Array("a".utf8), ttl: .seconds(5)), .acquired(token: 1))
        // The same counter for a user who may read it carries on from 7.
        try admin.command([Array("DEL".utf8), keys.key, keys.fenceKey])
        XCTAssertEqual(try Locks.acquire(on: admin, keys: keys, owner: Array("b".utf8), ttl: .seconds(5)), .acquired(token: 8))
    }

    func testABrokenFenceCounterLeavesNoLockBehind() throws {
        let (conn, keys) = try setUpLock("broken-fence")
        try conn.command([Array("SET".utf8), keys.fenceKey, Array("not a number".utf8)])
        XCTAssertThrowsError(try Locks.acquire(on: conn, keys: keys, owner: Array("me".utf8), ttl: .seconds(5)))
        XCTAssertEqual(try conn.command([Array("EXISTS".utf8), keys.key]).int, 0)
    }

    func testRenewerRenewsNoticesLossAndReportsAnUnreachableServer() throws {
        let s = try RedisServer.shared.get()
        let (conn, keys) = try setUpLock("renewer")
        _ = try Locks.acquire(on: conn, keys: keys, owner: Array("me".utf8), ttl: .seconds(2))
        var renewer = LockRenewer(keys: keys, owner: Array("me".utf8), ttl: .seconds(2),
                                  config: ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port), database: Self.database))
        XCTAssertEqual(renewer.renew(), .renewed)
        try conn.command([Array("SET".utf8), keys.key, Array("thief".utf8), Array("PX".utf8), Array("60000".utf8)])
        guard case .lost(let state) = renewer.renew() else { return XCTFail("a taken lock was renewed") }
        XCTAssertEqual(state.owner, Array("thief".utf8))
        guard case .notOwner = try renewer.release() else { return XCTFail("released a lock that was taken over") }
        XCTAssertEqual(try conn.command([Array("GET".utf8), keys.key]).bytes, Array("thief".utf8))

        var unreachable = LockRenewer(keys: keys, owner: Array("me".utf8), ttl: .seconds(2),
                                      config: ConnectionConfig(endpoint: .tcp(host: "127.0.0.1", port: try freePort())))
        guard case .failed = unreachable.renew() else { return XCTFail("renewal without a server succeeded") }
    }

    // MARK: Helpers

    static let database = 11

    /// A connection to the shared server's database 11 and a lock name of this test's own.
    private func setUpLock(_ name: String) throws -> (RedisConnection, LockKeys) {
        let s = try RedisServer.shared.get()
        let conn = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port), database: Self.database))
        let keys = LockKeys(name: Array("test:\(name):\(UUID().uuidString)".utf8))
        addTeardownBlock { _ = try? conn.command([Array("DEL".utf8), keys.key, keys.fenceKey]) }
        return (conn, keys)
    }

    /// Cluster's key slot: CRC16-XMODEM of the hash tag (or the whole key) mod 16384.
    static func slot(_ key: [UInt8]) -> Int {
        var hashed = key[...]
        if let open = key.firstIndex(of: UInt8(ascii: "{")),
           let close = key[(open + 1)...].firstIndex(of: UInt8(ascii: "}")), close > open + 1 {
            hashed = key[(open + 1)..<close]
        }
        var crc: UInt16 = 0
        for byte in hashed {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        }
        return Int(crc) % 16384
    }
}
