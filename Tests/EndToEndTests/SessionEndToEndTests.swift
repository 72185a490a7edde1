import XCTest
import Foundation
import TestSupport

/// `cachectl session list|revoke` on the per-user session index, against a server of its own.
final class SessionEndToEndTests: XCTestCase {
    private static let server = Result { try RedisServer.start() }

    private func fresh() throws -> RedisServer {
        let s = try Self.server.get()
        try s.cli(["flushall"])
        return s
    }

    private func login(_ s: RedisServer, user: String, sessions: [String], prefix: String = "") throws {
        for sid in sessions { try s.cli(["set", "\(prefix)session:\(sid)", "{\"userId\":\(user)}", "ex", "3600"]) }
        try s.cli(["sadd", "\(prefix)session:user:\(user)"] + sessions)
    }

    private func exists(_ s: RedisServer, _ keys: [String]) throws -> Int {
        Int(try s.cli(["exists"] + keys)) ?? -1
    }

    func testRevokeUserDeletesExactlyThatUsersSessionsAndIndex() throws {
        let s = try fresh()
        try login(s, user: "7", sessions: ["a1", "a2", "a3"])
        try login(s, user: "8", sessions: ["b1", "b2"])
        let base = ["-p", "\(s.port)", "session"]

        let refused = try Cachectl.run(base + ["revoke", "--user", "7"])
        XCTAssertEqual(refused.exitCode, 64)
        XCTAssertTrue(refused.stderr.contains("--yes"), refused.stderr)

        let dry = try Cachectl.run(base + ["revoke", "--user", "7", "--dry-run", "--json"])
        XCTAssertEqual(dry.exitCode, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("\"live\":3"), dry.stdout)
        XCTAssertTrue(dry.stdout.contains("\"sample\":[\"session:a"), dry.stdout)
        XCTAssertEqual(try exists(s, ["session:a1", "session:a2", "session:a3", "session:user:7"]), 4)

        let r = try Cachectl.run(base + ["revoke", "--user", "7", "--yes", "--json"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdoutBytes) as? [String: Any])
        XCTAssertEqual(doc["deleted"] as? Int, 3)
        XCTAssertEqual(doc["userId"] as? String, "7")
        XCTAssertEqual(doc["indexesDeleted"] as? [String], ["session:user:7"])
        XCTAssertEqual(doc["sessions"] as? Int, 3)
        XCTAssertEqual(try exists(s, ["session:a1", "session:a2", "session:a3", "session:user:7"]), 0)
        XCTAssertEqual(try exists(s, ["session:b1", "session:b2", "session:user:8"]), 3)
        XCTAssertEqual(try s.cli(["scard", "session:user:8"]), "2")

        let again = try Cachectl.run(base + ["revoke", "--user", "7", "--yes", "--json"])
        XCTAssertEqual(again.exitCode, 0, "nothing left to revoke is not an error: \(again.stderr)")
        XCTAssertTrue(again.stdout.contains("\"deleted\":0,\"indexesDeleted\":[]"), "no index was deleted: \(again.stdout)")
    }

    /// The same index, revoked through invalidate's tag mechanism with a member template.
    func testInvalidateMemberKeyRevokesAUsersSessions() throws {
        let s = try fresh()
        try login(s, user: "7", sessions: ["a1", "a2"])
        try login(s, user: "8", sessions: ["b1"])
        let base = ["-p", "\(s.port)", "invalidate", "--tag", "7", "--tag-key", "session:user:{tag}", "--member-key", "session:{member}"]
        let dry = try Cachectl.run(base + ["--dry-run"])
        XCTAssertEqual(dry.exitCode, 0, dry.stderr)
        XCTAssertTrue(dry.stdout.contains("  session:a1\n") && dry.stdout.contains("  session:a2\n"), dry.stdout)
        let r = try Cachectl.run(base + ["--yes", "--json"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("\"deleted\":2"), r.stdout)
        XCTAssertEqual(try exists(s, ["session:a1", "session:a2", "session:user:7"]), 0)
        XCTAssertEqual(try exists(s, ["session:b1", "session:user:8"]), 2)
        XCTAssertEqual(try Cachectl.run(base.dropLast(2) + ["--member-key", "session:", "--yes"]).exitCode, 64)
        XCTAssertEqual(try Cachectl.run(["-p", "\(s.port)", "invalidate", "x:*", "--member-key", "s:{member}", "--yes"]).exitCode, 64)
    }

    func testListShowsSessionsAndTheirTTLs() throws {
        let s = try fresh()
        try login(s, user: "7", sessions: ["a1", "a2"])
        try s.cli(["sadd", "session:user:7", "expired"])
        let r = try Cachectl.run(["-p", "\(s.port)", "session", "list", "--user", "7", "--json"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdoutBytes) as? [String: Any])
        let sessions = try XCTUnwrap(doc["sessions"] as? [[String: Any]])
        XCTAssertEqual(sessions.map { $0["sessionId"] as? String }, ["a1", "a2", "expired"])
        XCTAssertEqual(sessions.map { $0["exists"] as? Bool }, [true, true, false])
        XCTAssertGreaterThan(sessions[0]["ttlMs"] as? Int ?? 0, 3_000_000)
        let table = try Cachectl.run(["-p", "\(s.port)", "session", "list", "--user", "7"])
        XCTAssertTrue(table.stdout.hasPrefix("SESSION"), table.stdout)
        XCTAssertTrue(table.stdout.contains("expired  gone  session:expired"), table.stdout)
        let none = try Cachectl.run(["-p", "\(s.port)", "session", "list", "--user", "nobody"])
        XCTAssertEqual(none.exitCode, 0)
        XCTAssertEqual(none.stdout, "")
        XCTAssertEqual(try Cachectl.run(["-p", "\(s.port)", "session", "list"]).exitCode, 64)
    }

    func testNamedSessionsTemplatesPrefixAndEvents() throws {
        let s = try fresh()
        try s.cli(["set", "app:sess:x1", "v"])
        try s.cli(["set", "app:sess:x2", "v"])
        try s.cli(["sadd", "app:idx:u9", "x1", "x2"])
        let watch = try BackgroundCachectl(["-p", "\(s.port)", "watch", "--json", "--count", "2", "custom:events"])
        XCTAssertTrue(try BackgroundCachectl.eventually { try s.subscribers("custom:events") == 1 })
        let r = try Cachectl.run(["-p", "\(s.port)", "--prefix", "app:", "session", "revoke", "--session", "x1", "--session", "x2",
                                  "--user", "u9", "--session-key", "sess:{id}", "--index-key", "idx:{user}", "--yes",
                                  "--publish", "custom:events"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(try s.cli(["dbsize"]), "0")
        XCTAssertEqual(watch.wait(), 0, watch.stderr)
        XCTAssertTrue(watch.stdout.contains("\"payload\":{\"type\":\"session\",\"sessionId\":\"x1\"}"), watch.stdout)
        XCTAssertTrue(watch.stdout.contains("\"payload\":{\"type\":\"session\",\"sessionId\":\"x2\"}"), watch.stdout)

        let bad = try Cachectl.run(["-p", "\(s.port)", "session", "list", "--user", "7", "--session-key", "sess:"])
        XCTAssertEqual(bad.exitCode, 64)
        XCTAssertTrue(bad.stderr.contains("{id}"), bad.stderr)
        XCTAssertEqual(try Cachectl.run(["-p", "\(s.port)", "session", "revoke", "--yes"]).exitCode, 64)
        XCTAssertEqual(try Cachectl.run(["-p", "\(s.port)", "session", "revoke", "--user", "7", "--yes", "--publish", "x",
                                         "--no-publish"]).exitCode, 64)
    }

    /// The user `cachectl acl watch session` describes can revoke and watch, and the event
    /// reaches the watcher.
    func testTheACLLineAllowsWatchAndSession() throws {
        let s = try RedisServer.start()
        defer { s.stop() }
        let line = try Cachectl.run(["--user", "sess", "acl", "watch", "session"])
        XCTAssertEqual(line.exitCode, 0, line.stderr)
        XCTAssertEqual(try s.cliLine(line.stdout.trimmingCharacters(in: .newlines)), "OK")
        try s.setUser("sess", rules: [">sess-pw"])
        try login(s, user: "7", sessions: ["a1", "a2"])
        let env = ["REDIS_USERNAME": "sess", "REDISCLI_AUTH": "sess-pw"]
        let watch = try BackgroundCachectl(["-p", "\(s.port)", "watch", "--json", "--count", "1", "--timeout", "300ms"], environment: env)
        XCTAssertTrue(try BackgroundCachectl.eventually { try s.subscribers("sessions:invalidate") == 1 }, watch.stderr)
        let list = try Cachectl.run(["-p", "\(s.port)", "session", "list", "--user", "7"], environment: env)
        XCTAssertEqual(list.exitCode, 0, list.stderr)
        let r = try Cachectl.run(["-p", "\(s.port)", "session", "revoke", "--user", "7", "--yes"], environment: env)
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(r.stderr, "")
        XCTAssertEqual(watch.wait(), 0, watch.stderr)
        XCTAssertTrue(watch.stdout.contains("{\"type\":\"user\",\"userId\":7}"), watch.stdout)
        XCTAssertEqual(try exists(s, ["session:a1", "session:a2", "session:user:7"]), 0)
        let refused = try Cachectl.run(["-p", "\(s.port)", "watch", "other:channel", "--count", "1"], environment: env)
        XCTAssertEqual(refused.exitCode, 77, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("the ACL user needs &other:channel"), refused.stderr)
    }
}
