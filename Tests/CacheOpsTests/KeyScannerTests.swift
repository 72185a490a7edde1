import XCTest
import TestSupport
import RedisClient
@testable import CacheOps

final class KeyScannerTests: XCTestCase {
    func testEveryMatchingKeyExactlyOnceWithDetails() throws {
        let conn = try emptyDatabase(12)
        try AwkwardKeys.seed(conn, AwkwardKeys.matching + [AwkwardKeys.withNul], ttl: 300)
        try AwkwardKeys.seed(conn, AwkwardKeys.others)
        // Enough filler that SCAN needs many pages.
        try AwkwardKeys.seed(conn, (0..<3000).map { Array("m:filler:\($0)".utf8) })
        var seen: [[UInt8]] = []
        var pages = 0
        let outcome = try KeyScanner.walk(on: conn, scope: KeyScope(), request: KeyScanRequest(pattern: AwkwardKeys.pattern, count: 100),
                                          details: { _ in KeyDetailRequest(expiry: true, size: true) }) { entries, fraction in
            pages += 1
            XCTAssertTrue((0...1).contains(fraction))
            for e in entries where !e.key.starts(with: Array("m:filler:".utf8)) {
                seen.append(e.key)
                guard case .inMilliseconds(let ms)? = e.expiry else { return false }
                XCTAssertGreaterThan(ms, 290_000)
                XCTAssertGreaterThan(e.sizeBytes ?? 0, 0)
            }
            return true
        }
        XCTAssertEqual(seen.count, AwkwardKeys.matching.count + 1, "no key twice")
        XCTAssertEqual(Set(seen), Set(AwkwardKeys.matching + [AwkwardKeys.withNul]))
        XCTAssertTrue(outcome.complete)
        XCTAssertEqual(outcome.keys, AwkwardKeys.matching.count + 1 + 3000)
        XCTAssertGreaterThan(pages, 5)
    }

    func testPrefixTypeAndLimit() throws {
        let conn = try emptyDatabase(12)
        try AwkwardKeys.seed(conn, (0..<50).map { Array("app:k:\($0)".utf8) } + [Array("k:0".utf8)])
        try conn.command("SADD", "app:k:set", "x")
        var keys: [[UInt8]] = []
        _ = try KeyScanner.walk(on: conn, scope: KeyScope(prefix: Array("app:".utf8)),
                                request: KeyScanRequest(pattern: Array("k:*".utf8), type: .set)) { entries, _ in
            keys += entries.map(\.key)
            return true
        }
        XCTAssertEqual(keys, [Array("k:set".utf8)], "prefix applied to the pattern and taken off the key")
        var limited = 0
        let outcome = try KeyScanner.walk(on: conn, scope: KeyScope(),
                                          request: KeyScanRequest(pattern: Array("app:*".utf8), count: 10, limit: 7)) { entries, _ in
            limited += entries.count
            return true
        }
        XCTAssertEqual(limited, 7)
        XCTAssertFalse(outcome.complete)
    }

    func testStatsAndAuditOverAServer() throws {
        let conn = try emptyDatabase(12)
        try AwkwardKeys.seed(conn, (0..<20).map { Array("tenant:t\($0):product:p\($0)".utf8) }, ttl: 60)
        try AwkwardKeys.seed(conn, [Array("stray".utf8)])
        try conn.command("SET", "tenant:t1:big", String(repeating: "x", count: 5000), "EX", "60")
        let report = try KeyStats.run(on: RoutedClient(seed: conn), scope: KeyScope(),
                                      options: KeyStatsOptions(scan: KeyScanRequest(pattern: Array("*".utf8)), samplePerNamespace: 5))
        XCTAssertEqual(report.totalKeys, 22)
        let products = try XCTUnwrap(report.namespaces.first)
        XCTAssertEqual(products.namespace, "tenant:*:product:*")
        XCTAssertEqual(products.keys, 20)
        XCTAssertEqual(products.sampledKeys, 5)
        XCTAssertEqual(products.withoutTTL, 0)
        XCTAssertEqual(report.namespaces.first { $0.namespace == "stray" }?.withoutTTL, 1)

        var found: [AuditFinding] = []
        let summary = try KeyAudit.run(on: RoutedClient(seed: conn), scope: KeyScope(),
                                       options: AuditOptions(scan: KeyScanRequest(pattern: Array("*".utf8)), maxSizeBytes: 4096,
                                                             namespaces: [Array("tenant:*".utf8)])) { page in
            found += page
            return true
        }
        XCTAssertEqual(summary.keysChecked, 22)
        XCTAssertEqual(Set(found.map { "\($0.rule.rawValue) \(String(decoding: $0.key, as: UTF8.self))" }),
                       ["no-ttl stray", "outside-namespace stray", "too-large tenant:t1:big"])
        XCTAssertEqual(summary.keysWithFindings, 2)
        XCTAssertFalse(summary.clean)
    }
}
