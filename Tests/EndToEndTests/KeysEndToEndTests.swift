import XCTest
import Foundation
import TestSupport
import RedisClient
import CLI

/// `keys list|stats|audit` on a keyspace of awkward keys, as a user or script sees them.
final class KeysEndToEndTests: XCTestCase {
    func testListShowsEachMatchingKeyExactlyOnceQuotedWhereNeeded() throws {
        let (conn, args) = try keyspaceDatabase(14)
        try AwkwardKeys.seed(conn, AwkwardKeys.matching + AwkwardKeys.others)
        let r = try Cachectl.run(args + ["keys", "list", "m:*", "--count", "3"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(r.stderr, "")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(lines.count, AwkwardKeys.matching.count, r.stdout)
        XCTAssertTrue(lines.contains("m:with space"), "plain keys print as they are")
        XCTAssertTrue(lines.contains(#""m:new\nline""#), r.stdout)
        XCTAssertTrue(lines.contains(#""m:\xff\xfe\x01""#), r.stdout)
        XCTAssertTrue(lines.contains(#""m:\x1b[31m""#), "no terminal escape reaches the screen")
        XCTAssertEqual(Set(Array(try KeyList(Array(r.stdoutBytes), format: .lines))), Set(AwkwardKeys.matching),
                       "the quoted lines read back byte for byte")
    }

    func testNullOutputRoundTripsThroughXargs() throws {
        let (conn, args) = try keyspaceDatabase(14)
        try AwkwardKeys.seed(conn, AwkwardKeys.matching + AwkwardKeys.others + [AwkwardKeys.withNul])
        let line = (args + ["keys", "list", "m:*", "-0"]).map { "'\($0)'" }.joined(separator: " ")
        let r = try shell("\"$CACHECTL\" \(line) 2>/dev/null | xargs -0 printf '%s\\0'")
        XCTAssertEqual(r.status, 0)
        let records = r.stdout.split(separator: 0, omittingEmptySubsequences: false).dropLast().map { Array($0) }
        XCTAssertEqual(records.count, AwkwardKeys.matching.count)
        XCTAssertEqual(Set(records), Set(AwkwardKeys.matching), "every key byte for byte")

        let direct = try Cachectl.run(args + ["keys", "list", "m:*", "-0"])
        XCTAssertTrue(direct.stderr.contains(#"skipped "m:a\x00b""#), direct.stderr)
    }

    func testJSONIsLosslessAndCarriesDetails() throws {
        let (conn, args) = try keyspaceDatabase(14)
        try AwkwardKeys.seed(conn, AwkwardKeys.matching + AwkwardKeys.others + [AwkwardKeys.withNul], ttl: 100)
        try conn.command("PERSIST", "m:plain")
        let r = try Cachectl.run(args + ["keys", "list", "m:*", "--json", "--ttl", "--size"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(Set(try keysFromNDJSON(r.stdoutBytes)), Set(AwkwardKeys.matching + [AwkwardKeys.withNul]))
        let plain = try r.stdoutBytes.split(separator: 0x0A).map { try jsonObject(Data($0)) }.first { $0["key"] as? String == "m:plain" }
        XCTAssertTrue(plain?["ttlMs"] is NSNull, "no TTL is null")
        XCTAssertGreaterThan(plain?["sizeBytes"] as? Int ?? 0, 0)
    }

    func testListTypeLimitAndPrefix() throws {
        let (conn, args) = try keyspaceDatabase(14)
        try AwkwardKeys.seed(conn, (0..<30).map { Array("app:s:\($0)".utf8) })
        try conn.command("HSET", "app:s:hash", "f", "v")
        let typed = try Cachectl.run(args + ["--prefix", "app:", "keys", "list", "s:*", "--type", "hash"])
        XCTAssertEqual(typed.stdout, "s:hash\n", "the prefix is taken off what is shown")
        let limited = try Cachectl.run(args + ["keys", "list", "app:*", "--limit", "7", "--count", "5"])
        XCTAssertEqual(limited.stdout.split(separator: "\n").count, 7)
        let bad = try Cachectl.run(args + ["keys", "list", "-0", "--ttl"])
        XCTAssertEqual(bad.exitCode, 64)
    }

    func testStatsGroupsNamespaces() throws {
        let (conn, args) = try keyspaceDatabase(14)
        try AwkwardKeys.seed(conn, (0..<12).map { Array("tenant:cl\($0 % 3):product:p\($0)".utf8) }, ttl: 300)
        try AwkwardKeys.seed(conn, [Array("tenant:cl1:inventory:stats".utf8), Array("config".utf8)])
        let r = try Cachectl.run(args + ["keys", "stats", "--json"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let object = try jsonObject(r.stdoutBytes)
        XCTAssertEqual(object["totalKeys"] as? Int, 14)
        let groups = try XCTUnwrap(object["namespaces"] as? [[String: Any]])
        XCTAssertEqual(groups.first?["namespace"] as? String, "tenant:*:product:*")
        XCTAssertEqual(groups.first?["keys"] as? Int, 12)
        XCTAssertEqual(groups.first?["withoutTtl"] as? Int, 0)
        XCTAssertEqual(groups.first { $0["namespace"] as? String == "config" }?["withoutTtl"] as? Int, 1)
        let table = try Cachectl.run(args + ["keys", "stats", "--depth", "1"])
        XCTAssertTrue(table.stdout.contains("tenant:*"), table.stdout)
        XCTAssertTrue(table.stdout.contains("14 keys in 2 namespaces"), table.stdout)
    }

    func testAuditIsACIGate() throws {
        let (conn, args) = try keyspaceDatabase(14)
        try AwkwardKeys.seed(conn, [Array("tenant:1:a".utf8), Array("tenant:2:b".utf8)], ttl: 60)
        let clean = try Cachectl.run(args + ["keys", "audit", "--namespace", "tenant:*"])
        XCTAssertEqual(clean.exitCode, 0, clean.stdout + clean.stderr)
        XCTAssertTrue(clean.stdout.contains("clean"), clean.stdout)

        try AwkwardKeys.seed(conn, [Array("stray\nkey".utf8)])
        try conn.command("SET", "tenant:3:big", String(repeating: "x", count: 3000), "EX", "60")
        let dirty = try Cachectl.run(args + ["keys", "audit", "--namespace", "tenant:*", "--max-size", "2kb"])
        XCTAssertEqual(dirty.exitCode, 1)
        XCTAssertTrue(dirty.stdout.contains(#"no-ttl            "stray\nkey""#), dirty.stdout)
        XCTAssertTrue(dirty.stdout.contains("outside-namespace"), dirty.stdout)
        XCTAssertTrue(dirty.stdout.contains("too-large         tenant:3:big"), dirty.stdout)
        XCTAssertTrue(dirty.stdout.contains("3 findings in 2 keys"), dirty.stdout)

        let json = try Cachectl.run(args + ["keys", "audit", "--json"])
        XCTAssertEqual(json.exitCode, 1)
        let lines = try json.stdoutBytes.split(separator: 0x0A).map { try jsonObject(Data($0)) }
        XCTAssertEqual(lines.last?["kind"] as? String, "summary")
        XCTAssertEqual(lines.last?["clean"] as? Bool, false)
        XCTAssertEqual((lines.last?["findings"] as? [String: Int])?["no-ttl"], 1)
        XCTAssertEqual(lines.first?["rule"] as? String, "no-ttl")
        XCTAssertEqual(lines.first?["key"] as? String, "stray\nkey")
        XCTAssertEqual(try Cachectl.run(args + ["keys", "audit", "-q"]).stdout, "")
    }
}
