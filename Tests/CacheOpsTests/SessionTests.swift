import XCTest
import Foundation
import TestSupport
import RedisClient
@testable import CacheOps

/// The applications' session layout (session:{sid} plus the set session:user:{userId})
/// against a server of its own.
final class SessionTests: XCTestCase {
    private static let server = Result { try RedisServer.start() }

    private func client(prefix: [UInt8] = []) throws -> RoutedClient {
        let s = try Self.server.get()
        let c = try RoutedClient.connect(ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port), keyPrefix: prefix))
        try c.seed.command("FLUSHALL")
        return c
    }

    private func b(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// What the application does at login: the session, then its id in the user's index.
    private func login(_ c: RedisConnection, user: String, session: String, prefix: String = "", ttl: Int? = 3600) throws {
        var set = [b("SET"), b("\(prefix)session:\(session)"), b("{\"userId\":\(user)}")]
        if let ttl { set += [b("EX"), b(String(ttl))] }
        try c.command(set)
        try c.command([b("SADD"), b("\(prefix)session:user:\(user)"), b(session)])
    }

    func testTemplatesAreFilledWithBytes() {
        let layout = SessionLayout(sessionKeyTemplate: b("app:{id}:sess"), indexKeyTemplate: b("idx:{user}:{user}"))
        XCTAssertEqual(layout.sessionKey([0xFF]), b("app:") + [0xFF] + b(":sess"))
        XCTAssertEqual(layout.indexKey(b("7")), b("idx:7:7"))
        XCTAssertEqual(SessionLayout().sessionKey(b("abc")), b("session:abc"))
        XCTAssertEqual(SessionLayout().indexKey(b("7")), b("session:user:7"))
    }

    func testListShowsEachSessionWithItsTTLAndStaleEntries() throws {
        let c = try client()
        try login(c.seed, user: "7", session: "a")
        try login(c.seed, user: "7", session: "b", ttl: nil)
        try c.seed.command([b("SADD"), b("session:user:7"), b("gone")])
        let listing = try Sessions.list(on: c, scope: KeyScope(), layout: SessionLayout(), user: b("7"))
        XCTAssertEqual(listing.indexKey, b("session:user:7"))
        XCTAssertEqual(listing.sessions.map(\.id), [b("a"), b("b"), b("gone")])
        XCTAssertEqual(listing.sessions.map(\.exists), [true, true, false])
        XCTAssertGreaterThan(listing.sessions[0].ttlMs ?? 0, 3_000_000)
        XCTAssertNil(listing.sessions[1].ttlMs)
        XCTAssertEqual(try Sessions.list(on: c, scope: KeyScope(), layout: SessionLayout(), user: b("9")).sessions, [])
    }

    func testRevokeUserDeletesExactlyThatUsersSessionsAndIndex() throws {
        let c = try client()
        for s in ["a", "b", "c"] { try login(c.seed, user: "7", session: s) }
        for s in ["d", "e"] { try login(c.seed, user: "8", session: s) }
        try c.seed.command([b("SADD"), b("session:user:7"), b("expired")])

        let dry = try Sessions.revokeUser(on: c, scope: KeyScope(), layout: SessionLayout(), user: b("7"), dryRun: true)
        XCTAssertEqual(dry.deleted, 3)
        XCTAssertEqual(dry.matched, 4)
        XCTAssertEqual(Set(dry.sample), Set([b("session:a"), b("session:b"), b("session:c"), b("session:expired")]))
        XCTAssertEqual(try c.seed.command("EXISTS", "session:a", "session:user:7").int, 2, "a dry run deletes nothing")

        let r = try Sessions.revokeUser(on: c, scope: KeyScope(), layout: SessionLayout(), user: b("7"), dryRun: false)
        XCTAssertEqual(r.deleted, 3)
        XCTAssertEqual(r.matched, 4)
        XCTAssertEqual(r.indexesDeleted, [b("session:user:7")])
        XCTAssertEqual(r.remaining, 0)
        XCTAssertEqual(try c.seed.command("EXISTS", "session:a", "session:b", "session:c", "session:user:7").int, 0)
        XCTAssertEqual(try c.seed.command("EXISTS", "session:d", "session:e", "session:user:8").int, 3)
        XCTAssertEqual(try c.seed.command("SCARD", "session:user:8").int, 2)
    }

    func testRevokeHonoursThePrefixAndCustomTemplates() throws {
        let c = try client(prefix: b("app:"))
        try c.seed.command("SET", "app:sess:x", "1")
        try c.seed.command("SADD", "app:user-sessions:7", "x")
        let layout = SessionLayout(sessionKeyTemplate: b("sess:{id}"), indexKeyTemplate: b("user-sessions:{user}"))
        let r = try Sessions.revokeUser(on: c, scope: KeyScope(prefix: b("app:")), layout: layout, user: b("7"), dryRun: false)
        XCTAssertEqual(r.deleted, 1)
        XCTAssertEqual(r.indexesDeleted, [b("user-sessions:7")])
        XCTAssertEqual(try c.seed.command("DBSIZE").int, 0)
    }

    func testRevokeNamedSessionsLeavesTheOthers() throws {
        let c = try client()
        for s in ["a", "b"] { try login(c.seed, user: "7", session: s) }
        let r = try Sessions.revokeSessions([b("a"), b("a")], user: b("7"), on: c, scope: KeyScope(), layout: SessionLayout(), dryRun: false)
        XCTAssertEqual(r.deleted, 1)
        XCTAssertEqual(r.sessionIds, [b("a")])
        XCTAssertEqual(r.indexesDeleted, [])
        XCTAssertEqual(try c.seed.command("SMEMBERS", "session:user:7").elements?.compactMap(\.string), ["b"])
        let last = try Sessions.revokeSessions([b("b")], user: b("7"), on: c, scope: KeyScope(), layout: SessionLayout(), dryRun: false)
        XCTAssertEqual(last.indexesDeleted, [b("session:user:7")])
        let bare = try Sessions.revokeSessions([b("zzz")], user: nil, on: c, scope: KeyScope(), layout: SessionLayout(), dryRun: false)
        XCTAssertEqual(bare.deleted, 0)
    }

    /// Logins keep coming while the user is revoked: afterwards every session key that
    /// exists is still named by the index (nothing orphaned), and whatever the index still
    /// names exists.
    func testConcurrentLoginsDuringRevokeLeaveNoOrphans() throws {
        let c = try client()
        for i in 0..<3000 { c.seed.enqueue([b("SET"), b("session:old\(i)"), b("x")]); c.seed.enqueue([b("SADD"), b("session:user:7"), b("old\(i)")]) }
        for _ in 0..<6000 { _ = try c.seed.readReply() }
        let s = try Self.server.get()
        let writer = Thread {
            guard let w = try? RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port))) else { return }
            for i in 0..<1500 {
                _ = try? w.pipeline([[Array("SET".utf8), Array("session:new\(i)".utf8), Array("x".utf8)],
                                     [Array("SADD".utf8), Array("session:user:7".utf8), Array("new\(i)".utf8)]])
            }
        }
        writer.start()
        let r = try Sessions.revokeUser(on: c, scope: KeyScope(), layout: SessionLayout(), user: b("7"), dryRun: false)
        while writer.isExecuting { usleep(10_000) }
        usleep(50_000)
        XCTAssertGreaterThanOrEqual(r.deleted, 3000)
        var keys: [[UInt8]] = []
        var cursor = b("0")
        repeat {
            let page = try c.seed.scan(cursor: cursor, match: b("session:new*"), count: 1000)
            keys += page.keys
            cursor = page.cursor
        } while cursor != b("0")
        for key in keys {
            let id = Array(key.dropFirst("session:".count))
            XCTAssertEqual(try c.seed.command([b("SISMEMBER"), b("session:user:7"), id]).int, 1,
                           "orphan \(String(decoding: key, as: UTF8.self))")
        }
        let members = try c.seed.command("SMEMBERS", "session:user:7").elements?.compactMap(\.bytes) ?? []
        XCTAssertEqual(members.count, keys.count)
        XCTAssertEqual(try c.seed.command("EXISTS", "session:old0", "session:old2999").int, 0)
    }

    func testRevokeOnAClusterRoutesKeysAndIndex() throws {
        let cluster = try ClusterFixture.shared.get()
        let c = try RoutedClient.connect(ConnectionConfig(endpoint: .tcp(host: "127.0.0.1", port: cluster.nodes[0].port)))
        let cc = try XCTUnwrap(try c.clusterIfAny())
        for s in ["ca", "cb", "cc", "cd"] {
            try cc.command([b("SET"), b("session:\(s)"), b("x")], key: b("session:\(s)"))
            try cc.command([b("SADD"), b("session:user:77"), b(s)], key: b("session:user:77"))
        }
        try cc.command([b("SET"), b("session:keep"), b("x")], key: b("session:keep"))
        try cc.command([b("SADD"), b("session:user:78"), b("keep")], key: b("session:user:78"))
        let listing = try Sessions.list(on: c, scope: KeyScope(), layout: SessionLayout(), user: b("77"))
        XCTAssertEqual(listing.sessions.filter(\.exists).count, 4)
        let r = try Sessions.revokeUser(on: c, scope: KeyScope(), layout: SessionLayout(), user: b("77"), dryRun: false)
        XCTAssertEqual(r.deleted, 4)
        XCTAssertEqual(r.indexesDeleted, [b("session:user:77")])
        for s in ["ca", "cb", "cc", "cd"] {
            XCTAssertEqual(try cc.command([b("EXISTS"), b("session:\(s)")], key: b("session:\(s)")).int, 0)
        }
        XCTAssertEqual(try cc.command([b("EXISTS"), b("session:keep")], key: b("session:keep")).int, 1)
        try cc.command([b("DEL"), b("session:keep")], key: b("session:keep"))
        try cc.command([b("DEL"), b("session:user:78")], key: b("session:user:78"))
    }
}
