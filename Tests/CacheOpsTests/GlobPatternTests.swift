import XCTest
import TestSupport
import RedisClient
@testable import CacheOps

final class GlobPatternTests: XCTestCase {
    private func matches(_ pattern: String, _ key: String) -> Bool {
        GlobPattern(Array(pattern.utf8)).matches(Array(key.utf8))
    }

    func testWildcardsClassesAndEscapes() {
        XCTAssertTrue(matches("tenant:*:product:*", "tenant:cl1:product:p9"))
        XCTAssertFalse(matches("tenant:*:product:*", "tenant:cl1:stock"))
        XCTAssertTrue(matches("h?llo", "hallo"))
        XCTAssertFalse(matches("h?llo", "hllo"))
        XCTAssertTrue(matches("h[ae]llo", "hello"))
        XCTAssertFalse(matches("h[^e]llo", "hello"))
        XCTAssertTrue(matches("h[a-b]llo", "hbllo"))
        XCTAssertTrue(matches("a\\*b", "a*b"))
        XCTAssertFalse(matches("a\\*b", "axb"))
        XCTAssertTrue(matches("*", ""))
        XCTAssertTrue(matches("a*", "a"))
        XCTAssertFalse(matches("", "a"))
    }

    func testMatchesEverythingOnlyForStars() {
        XCTAssertTrue(GlobPattern(Array("*".utf8)).matchesEverything)
        XCTAssertTrue(GlobPattern(Array("***".utf8)).matchesEverything)
        XCTAssertFalse(GlobPattern(Array("*:*".utf8)).matchesEverything)
        XCTAssertFalse(GlobPattern([]).matchesEverything)
    }

    func testEscapedLiteralMatchesOnlyItself() {
        let literal = Array("app[1]*?\\:".utf8)
        let escaped = GlobPattern(GlobPattern.escape(literal))
        XCTAssertTrue(escaped.matches(literal))
        XCTAssertFalse(escaped.matches(Array("app1x?\\:".utf8)))
    }

    func testScopePrefixesPatternsLiterallyAndStripsKeys() {
        let scope = KeyScope(prefix: Array("app[1]:".utf8))
        XCTAssertEqual(scope.pattern(Array("dash:*".utf8)), Array("app\\[1\\]:dash:*".utf8))
        XCTAssertEqual(scope.key(Array("k".utf8)), Array("app[1]:k".utf8))
        XCTAssertEqual(scope.strip(Array("app[1]:k".utf8)), Array("k".utf8))
        XCTAssertEqual(KeyScope().pattern(Array("*".utf8)), Array("*".utf8))
    }

    /// The local matcher must agree with the server's on awkward patterns and keys.
    func testAgreesWithTheServer() throws {
        let s = try RedisServer.shared.get()
        let conn = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port), database: 11))
        try conn.command("FLUSHDB")
        defer { _ = try? conn.command("FLUSHDB") }
        let keys: [[UInt8]] = ["a", "ab", "abc", "a*c", "a?c", "a[c", "a]c", "a\\c", "b", "", "aXc", "a-c", "ac",
                               "é", "a\u{1F511}c", "[", "\\"].map { Array($0.utf8) } + [[0x61, 0xFF, 0x63], [0x00]]
        _ = try conn.pipeline(keys.map { [Array("SET".utf8), $0, Array("v".utf8)] })
        let patterns = ["a*", "a?c", "a[b-c]*", "a[^b]c", "a\\*c", "*c", "[a", "a[", "a[\\]]c", "a[]c", "*\\", "?",
                        "a[c-a]c", "*", "**", "a*?", "\\", "a[\\", "[^a]*"].map { Array($0.utf8) } + [[0x61, 0xFF, 0x2A]]
        for pattern in patterns {
            var server = Set<[UInt8]>()
            var cursor = ScanCursor.start
            repeat {
                let page = try conn.scan(cursor: cursor, match: pattern, count: 100)
                server.formUnion(page.keys)
                cursor = page.cursor
            } while cursor != ScanCursor.start
            let local = Set(keys.filter { GlobPattern(pattern).matches($0) })
            XCTAssertEqual(local, server, "pattern \(String(decoding: pattern, as: UTF8.self))")
        }
    }
}
