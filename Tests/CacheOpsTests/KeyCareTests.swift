import XCTest
import TestSupport
import RedisClient
@testable import CacheOps

/// `keys show` and `keys expire` against a real server.
final class KeyCareTests: XCTestCase {
    func testShowEachTypeWithBoundedPreviews() throws {
        let conn = try emptyDatabase(13)
        let client = RoutedClient(seed: conn)
        let big = String(repeating: "x", count: 100_000)
        try conn.command("SET", "s", big, "EX", "100")
        try conn.command("HSET", "h", "a", "1", "b", "2", "c", "3")
        try conn.command("SADD", "set", "m1", "m2")
        try conn.command("ZADD", "z", "1", "one", "2.5", "two", "3", "three")
        try conn.command("RPUSH", "l", "e1", "e2", "e3", "e4")
        try conn.command("XADD", "st", "1-1", "f", "v")
        try conn.command("XADD", "st", "2-1", "g", "w")
        var facts = OptionalFacts()
        let options = KeyShowOptions(bytes: 16, items: 2)
        func show(_ key: String) throws -> KeyDetails {
            guard let d = try KeyShow.inspect(Array(key.utf8), on: client, scope: KeyScope(), options: options, facts: &facts) else {
                throw XCTSkip("\(key) missing")
            }
            return d
        }
        let s = try show("s")
        XCTAssertEqual(s.type, "string")
        XCTAssertEqual(s.length, 100_000)
        XCTAssertEqual(s.preview, .string(Array(String(repeating: "x", count: 16).utf8)), "only the first bytes are fetched")
        XCTAssertTrue(s.truncated)
        guard case .inMilliseconds(let ms) = s.expiry else { return XCTFail("TTL") }
        XCTAssertGreaterThan(ms, 90_000)
        XCTAssertNotNil(s.encoding)
        XCTAssertGreaterThan(s.memoryBytes ?? 0, 100_000)
        let h = try show("h")
        XCTAssertEqual(h.length, 3)
        XCTAssertEqual(h.preview.count, 2)
        XCTAssertEqual(h.expiry, .never)
        XCTAssertEqual(try show("set").preview.count, 2)
        XCTAssertEqual(try show("z").preview, .zset([(Array("one".utf8), 1), (Array("two".utf8), 2.5)]))
        XCTAssertEqual(try show("l").preview, .list([Array("e1".utf8), Array("e2".utf8)]))
        let st = try show("st")
        XCTAssertEqual(st.length, 2)
        guard case .stream(let entries) = st.preview else { return XCTFail("stream") }
        XCTAssertEqual(entries.map(\.id), [Array("1-1".utf8), Array("2-1".utf8)])
        XCTAssertEqual(entries[0].fields.first?.field, Array("f".utf8))
        XCTAssertNil(try KeyShow.inspect(Array("absent".utf8), on: client, scope: KeyScope(), options: options, facts: &facts))
        XCTAssertTrue(facts.isEmpty)
    }

    func testExpireOnlyMissingLeavesExistingTTLsAlone() throws {
        let conn = try emptyDatabase(13)
        try AwkwardKeys.seed(conn, (0..<300).map { Array("tmp:a:\($0)".utf8) })
        try AwkwardKeys.seed(conn, (0..<50).map { Array("tmp:b:\($0)".utf8) }, ttl: 50)
        try AwkwardKeys.seed(conn, [Array("keep:1".utf8)])
        var request = ExpireRequest(scan: KeyScanRequest(pattern: Array("tmp:*".utf8), count: 50), ttl: .seconds(3600))
        request.onlyMissing = true
        request.dryRun = true
        let dry = KeyExpire.run(on: RoutedClient(seed: conn), scope: KeyScope(), request: request)
        XCTAssertNil(dry.failure)
        XCTAssertEqual([dry.matched, dry.updated, dry.kept], [350, 300, 50])
        XCTAssertEqual(try conn.command("PTTL", "tmp:a:1").int, -1, "a dry run writes nothing")

        request.dryRun = false
        let done = KeyExpire.run(on: RoutedClient(seed: conn), scope: KeyScope(), request: request)
        XCTAssertNil(done.failure)
        XCTAssertEqual([done.matched, done.updated, done.kept, done.vanished], [350, 300, 50, 0])
        XCTAssertEqual(done.method, "PEXPIRE NX")
        // Nothing matched, nothing sent: no method is claimed (it was "PEXPIRE NX" on 6.0 too).
        var none = request
        none.scan.pattern = Array("nothing-here:*".utf8)
        XCTAssertEqual(KeyExpire.run(on: RoutedClient(seed: conn), scope: KeyScope(), request: none).method, "none")
        XCTAssertGreaterThan(try conn.command("PTTL", "tmp:a:7").int ?? 0, 3_500_000)
        XCTAssertLessThanOrEqual(try conn.command("PTTL", "tmp:b:7").int ?? 0, 50_000, "an existing TTL is kept")
        XCTAssertEqual(try conn.command("PTTL", "keep:1").int, -1, "keys outside the pattern are untouched")

        var audit = AuditSummary()
        audit = try KeyAudit.run(on: RoutedClient(seed: conn), scope: KeyScope(),
                                 options: AuditOptions(scan: KeyScanRequest(pattern: Array("tmp:*".utf8)))) { _ in true }
        XCTAssertTrue(audit.clean)
    }

    func testExpireWithoutOnlyMissingReplacesTTLsAndHonoursPrefixAndLimit() throws {
        let conn = try emptyDatabase(13)
        try AwkwardKeys.seed(conn, (0..<20).map { Array("app:tmp:\($0)".utf8) }, ttl: 10)
        var request = ExpireRequest(scan: KeyScanRequest(pattern: Array("tmp:*".utf8), count: 5, limit: 7), ttl: .seconds(600))
        request.rate = 1000
        let done = KeyExpire.run(on: RoutedClient(seed: conn), scope: KeyScope(prefix: Array("app:".utf8)), request: request)
        XCTAssertNil(done.failure)
        XCTAssertEqual(done.updated, 7)
        XCTAssertEqual(done.stop, .limit)
        var long = 0
        for i in 0..<20 where (try conn.command("PTTL", "app:tmp:\(i)").int ?? 0) > 100_000 { long += 1 }
        XCTAssertEqual(long, 7)
    }

    func testOlderServersRefusingNXAreRecognised() {
        XCTAssertTrue(KeyExpire.isUnknownOption("ERR wrong number of arguments for 'pexpire' command"))
        XCTAssertFalse(KeyExpire.isUnknownOption("WRONGTYPE Operation against a key"))
    }
}
