import XCTest
import Foundation
import TestSupport

/// `health` where the server refuses everything but PING: it still judges latency, shows
/// the rest as n/a, and lists what it could not check.
final class HealthLeastPrivilegeEndToEndTests: XCTestCase {
    static let server: Result<RedisServer, Error> = Result {
        let s = try RedisServer.start()
        try s.cli(["acl", "setuser", "pingonly", "on", ">pw", "+ping"])
        try s.cli(["acl", "setuser", "app", "on", ">pw", "~app:*", "&*", "+@all", "-@dangerous"])
        try s.cli(["acl", "setuser", "memonly", "on", ">pw", "+ping", "+info|memory", "+info|server"])
        return s
    }

    static let renamed: Result<RedisServer, Error> = Result {
        try RedisServer.start(extraArguments: ["--rename-command", "INFO", "", "--rename-command", "SLOWLOG", "",
                                               "--rename-command", "CONFIG", ""])
    }

    private func run(_ user: String, _ args: [String]) throws -> CachectlRun {
        let s = try Self.server.get()
        return try Cachectl.run(["-p", "\(s.port)", "--user", user, "health"] + args, environment: ["REDISCLI_AUTH": "pw"])
    }

    private func json(_ r: CachectlRun) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdoutBytes) as? [String: Any], r.stdout + r.stderr)
    }

    func testOnlyPingAllowedStillReportsLatencyAndHealthy() throws {
        for user in ["pingonly", "app"] {
            let r = try run(user, ["--max-latency-ms", "10000", "--min-hit-rate", "50", "--json"])
            XCTAssertEqual(r.exitCode, 0, "\(user): \(r.stderr)")
            let j = try json(r)
            XCTAssertEqual(j["healthy"] as? Bool, true)
            XCTAssertEqual(j["status"] as? String, "Connected")
            XCTAssertEqual((j["latencyMs"] as? [String: Any])?["samples"] as? Int, 5)
            for field in ["memory", "version", "role", "uptimeSeconds", "keyspace", "slowlogLength", "replication"] {
                XCTAssertTrue(j[field] is NSNull, "\(user): \(field) is null, not \(String(describing: j[field]))")
            }
            XCTAssertTrue((j["stats"] as? [String: Any])?["hitRate"] is NSNull)
            let unchecked = try XCTUnwrap(j["unchecked"] as? [[String: Any]]).compactMap { $0["check"] as? String }
            XCTAssertTrue(unchecked.contains("--min-hit-rate"), "\(unchecked)")
            XCTAssertTrue(unchecked.contains("memory") && unchecked.contains("replication"), "\(unchecked)")
            let unavailable = try XCTUnwrap(j["unavailable"] as? [[String: Any]])
            // PING-only may not ask CLUSTER INFO either (the cluster probe when INFO cannot say).
            XCTAssertEqual(Array(unavailable.compactMap { $0["command"] as? String }.prefix(2)), ["INFO", "SLOWLOG"])
            XCTAssertTrue(unavailable.allSatisfy { $0["reason"] as? String == "noPermission" })
            XCTAssertTrue((j["breaches"] as? [Any])?.isEmpty ?? false)
            XCTAssertTrue(r.stderr.contains("warning: INFO unavailable (not permitted for this ACL user)"), r.stderr)
            XCTAssertTrue(r.stderr.contains("--min-hit-rate"), r.stderr)
        }
        let table = try run("pingonly", [])
        XCTAssertEqual(table.exitCode, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("memory        n/a"), table.stdout)
        XCTAssertTrue(table.stdout.contains("unchecked"), table.stdout)
    }

    func testLatencyIsStillJudgedAndStrictMakesUncheckedABreach() throws {
        let slow = try run("pingonly", ["--max-latency-ms", "0"])
        XCTAssertEqual(slow.exitCode, 1, slow.stderr)
        XCTAssertTrue(slow.stderr.contains("breach: latency"), slow.stderr)
        let strict = try run("pingonly", ["--min-hit-rate", "50", "--strict", "--json"])
        XCTAssertEqual(strict.exitCode, 1, strict.stderr)
        let breaches = try XCTUnwrap(try json(strict)["breaches"] as? [[String: Any]])
        XCTAssertFalse(breaches.isEmpty)
        XCTAssertTrue(breaches.allSatisfy { $0["metric"] as? String == "unchecked" })
        XCTAssertTrue(breaches.contains { ($0["reason"] as? String)?.hasPrefix("--min-hit-rate not checked") ?? false })
    }

    func testSectionsAllowedOneByOneAreUsed() throws {
        let r = try run("memonly", ["--json", "--max-memory-pct", "90"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let j = try json(r)
        XCTAssertNotNil(j["version"] as? String, "INFO server was allowed")
        XCTAssertNotNil((j["memoryDetail"] as? [String: Any])?["usedMemoryBytes"] as? Int, "INFO memory was allowed")
        XCTAssertTrue((j["stats"] as? [String: Any])?["keyspaceHits"] is NSNull)
        let unavailable = try XCTUnwrap(j["unavailable"] as? [[String: Any]]).compactMap { $0["command"] as? String }
        XCTAssertTrue(unavailable.contains("INFO stats"), "\(unavailable)")
        XCTAssertFalse(unavailable.contains("INFO memory"), "\(unavailable)")
    }

    func testRenamedCommandsAreUnknownNotFatal() throws {
        let s = try Self.renamed.get()
        let r = try Cachectl.run(["-p", "\(s.port)", "health", "--json", "--max-latency-ms", "10000"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let j = try json(r)
        let unavailable = try XCTUnwrap(j["unavailable"] as? [[String: Any]])
        XCTAssertEqual(unavailable.compactMap { $0["command"] as? String }, ["INFO", "SLOWLOG"])
        XCTAssertTrue(unavailable.allSatisfy { $0["reason"] as? String == "unknownCommand" })
        let p = try Cachectl.run(["-p", "\(s.port)", "health", "--prometheus"])
        XCTAssertEqual(p.exitCode, 0, p.stderr)
        try assertValidExposition(p.stdout)
        XCTAssertTrue(p.stdout.contains("cachectl_unchecked{"), p.stdout)
    }
}
