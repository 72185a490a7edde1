import XCTest
import Foundation
import TestSupport
import RedisClient

/// `keys show`, `keys expire`, and the grouping of `keys stats` and `keys audit`, as an
/// on-call engineer or a script uses them.
final class KeyCareEndToEndTests: XCTestCase {
    func testShowEachTypeBinarySafeAndExitOneForAMissingKey() throws {
        let (conn, args) = try keyspaceDatabase(14)
        try conn.command("SET", "cfg", #"{"flags":{"beta":true},"n":[1,2]}"#, "EX", "600")
        try conn.command([Array("SET".utf8), [0x62, 0x0A, 0xFF], [0x00, 0x01, 0x41]])
        try conn.command("SET", "big", String(repeating: "y", count: 200_000))
        try conn.command("HSET", "h", "f", "v")
        try conn.command("SADD", "st", "m")
        try conn.command("ZADD", "z", "1.5", "m")
        try conn.command("RPUSH", "l", "a", "b", "c")
        try conn.command("XADD", "x", "5-1", "k", "v")

        let text = try Cachectl.run(args + ["keys", "show", "cfg", "h", "st", "z", "l", "x"])
        XCTAssertEqual(text.exitCode, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("\"beta\": true"), "JSON is pretty-printed: \(text.stdout)")
        for type in ["string", "hash", "set", "zset", "list", "stream"] {
            XCTAssertTrue(text.stdout.contains("type      \(type)"), "\(type): \(text.stdout)")
        }
        XCTAssertTrue(text.stdout.contains("length    3 elements"), text.stdout)
        XCTAssertTrue(text.stdout.contains("5-1  k=v"), text.stdout)

        let quoted = try shell("\"$CACHECTL\" \(args.joined(separator: " ")) keys show \"$(printf 'b\\n\\377')\"")
        let out = String(decoding: quoted.stdout, as: UTF8.self)
        XCTAssertEqual(quoted.status, 0, out)
        XCTAssertTrue(out.contains(#""b\n\xff""#), "the key is quoted: \(out)")
        XCTAssertTrue(out.contains(#""\x00\x01A""#), "the value is quoted: \(out)")

        let big = try Cachectl.run(args + ["keys", "show", "big", "--bytes", "10", "--json"])
        let doc = try jsonObject(big.stdoutBytes)
        XCTAssertEqual(doc["value"] as? String, String(repeating: "y", count: 10), "only the first bytes")
        XCTAssertEqual(doc["length"] as? Int, 200_000)
        XCTAssertEqual(doc["truncated"] as? Bool, true)
        let cfg = try jsonObject(try Cachectl.run(args + ["keys", "show", "cfg", "--json"]).stdoutBytes)
        XCTAssertEqual((cfg["json"] as? [String: Any])?["n"] as? [Int], [1, 2], "a JSON value is embedded parsed")
        XCTAssertGreaterThan(cfg["ttlMs"] as? Int ?? 0, 500_000)

        let missing = try Cachectl.run(args + ["keys", "show", "h", "nope"])
        XCTAssertEqual(missing.exitCode, 1)
        XCTAssertTrue(missing.stdout.contains("type      hash"), "the others are still shown")
        XCTAssertTrue(missing.stderr.contains("nope does not exist"), missing.stderr)
    }

    /// The issue's check: one line fixes what `keys audit` found, and existing TTLs stay.
    func testExpireOnlyMissingMakesTheAuditCleanAndKeepsExistingTTLs() throws {
        let (conn, args) = try keyspaceDatabase(14)
        try AwkwardKeys.seed(conn, (0..<40).map { Array("tmp:job:\($0)".utf8) })
        try AwkwardKeys.seed(conn, (0..<5).map { Array("tmp:short:\($0)".utf8) }, ttl: 30)
        let before = try Cachectl.run(args + ["keys", "audit", "tmp:*"])
        XCTAssertEqual(before.exitCode, 1)
        XCTAssertEqual(try Cachectl.run(args + ["keys", "expire", "tmp:*", "--ttl", "1h", "--only-missing"]).exitCode, 64,
                       "without a terminal it needs --yes")
        let dry = try Cachectl.run(args + ["keys", "expire", "tmp:*", "--ttl", "1h", "--only-missing", "--dry-run", "--json"])
        XCTAssertEqual(try jsonObject(dry.stdoutBytes)["updated"] as? Int, 40)
        XCTAssertEqual(try conn.command("PTTL", "tmp:job:1").int, -1)

        let r = try Cachectl.run(args + ["keys", "expire", "tmp:*", "--ttl", "1h", "--only-missing", "--yes", "--json"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let doc = try jsonObject(r.stdoutBytes)
        XCTAssertEqual(doc["matched"] as? Int, 45)
        XCTAssertEqual(doc["updated"] as? Int, 40)
        XCTAssertEqual(doc["kept"] as? Int, 5)
        XCTAssertEqual(doc["vanished"] as? Int, 0)
        XCTAssertLessThanOrEqual(try conn.command("PTTL", "tmp:short:3").int ?? 0, 30_000, "an existing TTL is left alone")
        XCTAssertGreaterThan(try conn.command("PTTL", "tmp:job:3").int ?? 0, 3_500_000)
        let after = try Cachectl.run(args + ["keys", "audit", "tmp:*"])
        XCTAssertEqual(after.exitCode, 0, after.stdout)
        XCTAssertTrue(after.stdout.contains("clean"), after.stdout)
    }

    func testStatsGroupsNonNumericIdsAndKeepsVersions() throws {
        let (conn, args) = try keyspaceDatabase(14)
        let names = ["alice", "bob", "carol", "dave", "erin", "frank"]
        try AwkwardKeys.seed(conn, names.map { Array("user:\($0):cart".utf8) } + names.prefix(3).map { Array("v2:user:\($0)".utf8) }
                             + names.prefix(2).map { Array("img/\($0)/avatar.png".utf8) }, ttl: 60)
        let r = try Cachectl.run(args + ["keys", "stats", "--json"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let groups = try XCTUnwrap(try jsonObject(r.stdoutBytes)["namespaces"] as? [[String: Any]])
        var counts: [String: Int] = [:]
        for g in groups { counts[g["namespace"] as? String ?? "?"] = g["keys"] as? Int }
        XCTAssertEqual(counts["user:*:cart"], 6, "\(counts)")
        XCTAssertEqual(counts["v2:user:*"], 3, "\(counts)")
        let slash = try Cachectl.run(args + ["keys", "stats", "img/*", "--separator", "/"])
        XCTAssertTrue(slash.stdout.contains("img/*/avatar.png"), slash.stdout)
    }

    func testAuditAllowMaxTTLSkipAndGroupingOfManyFindings() throws {
        let (conn, args) = try keyspaceDatabase(14)
        try AwkwardKeys.seed(conn, (0..<30).map { Array("sess:u\($0):data".utf8) })
        try AwkwardKeys.seed(conn, [Array("config:flags".utf8)])
        try AwkwardKeys.seed(conn, [Array("cache:long".utf8)], ttl: 90_000)

        let grouped = try Cachectl.run(args + ["keys", "audit"])
        XCTAssertEqual(grouped.exitCode, 1)
        XCTAssertTrue(grouped.stdout.contains("sess:*:data"), "many findings: one line per shape: \(grouped.stdout)")
        XCTAssertFalse(grouped.stdout.contains("sess:u7:data\n"), grouped.stdout)
        let details = try Cachectl.run(args + ["keys", "audit", "--details"])
        XCTAssertTrue(details.stdout.contains("no-ttl            sess:u7:data"), details.stdout)

        let allowed = try Cachectl.run(args + ["keys", "audit", "--allow", "sess:*", "--allow", "config:*"])
        XCTAssertEqual(allowed.exitCode, 0, allowed.stdout)
        XCTAssertTrue(allowed.stdout.contains("31 allowed by --allow"), allowed.stdout)
        let maxTTL = try Cachectl.run(args + ["keys", "audit", "--allow", "sess:*", "--allow", "config:*", "--max-ttl", "1d"])
        XCTAssertEqual(maxTTL.exitCode, 1)
        XCTAssertTrue(maxTTL.stdout.contains("ttl-too-long      cache:long"), maxTTL.stdout)
        let skipped = try Cachectl.run(args + ["keys", "audit", "--skip", "no-ttl"])
        XCTAssertEqual(skipped.exitCode, 0, skipped.stdout)
    }
}
