import XCTest
@testable import CacheOps

final class KeyShapeTests: XCTestCase {
    private func shape(_ key: String, depth: Int? = nil) -> String {
        NamespaceShape.of(Array(key.utf8), depth: depth)
    }

    func testIdLikeSegmentsCollapse() {
        XCTAssertEqual(shape("tenant:cl123:product:p456"), "tenant:*:product:*")
        XCTAssertEqual(shape("tenant:cl123:inventory:stats"), "tenant:*:inventory:stats")
        XCTAssertEqual(shape("rate:1.2.3.4:_api_auth_login"), "rate:*:_api_auth_login")
        XCTAssertEqual(shape("bull:inventory-sync:42"), "bull:inventory-sync:*")
        XCTAssertEqual(shape("session:\(String(repeating: "abcdef", count: 5))"), "session:*")
        XCTAssertEqual(shape("plain"), "plain")
        XCTAssertEqual(shape("a::b"), "a::b")
        XCTAssertEqual(NamespaceShape.of([0x62, 0x3A, 0xFF, 0xFE]), "b:*")
        XCTAssertEqual(shape("line\nbreak:x"), "*:x")
    }

    func testDepthKeepsLeadingSegments() {
        XCTAssertEqual(shape("tenant:cl1:product:p1", depth: 1), "tenant:*")
        XCTAssertEqual(shape("tenant:cl1:product:p1", depth: 3), "tenant:*:product:*")
        XCTAssertEqual(shape("tenant:cl1", depth: 5), "tenant:*")
    }

    func testStatsGroupSampleAndSort() {
        var stats = KeyStatsAccumulator(options: KeyStatsOptions(scan: KeyScanRequest(pattern: Array("*".utf8)),
                                                                 samplePerNamespace: 2, order: .memory))
        let keys = (1...4).map { Array("user:\($0)".utf8) } + [Array("config:flags".utf8)]
        var sized = 0
        for key in keys {
            let ask = stats.detailsFor(key)
            XCTAssertTrue(ask.expiry)
            if ask.size { sized += 1 }
            let ttl: KeyExpiry = key.count == 6 ? .inMilliseconds(1000) : .never
            stats.add(KeyEntry(key: key, expiry: key.starts(with: Array("user".utf8)) ? .inMilliseconds(Int64(key.last! - 48) * 1000) : ttl,
                               sizeBytes: ask.size ? (key.starts(with: Array("user".utf8)) ? 100 : 1000) : nil))
        }
        XCTAssertEqual(sized, 3, "two users and the config key are measured")
        let report = stats.report(outcome: KeyScanOutcome(keys: 5, complete: true, fractionVisited: 1))
        XCTAssertEqual(report.namespaces.map(\.namespace), ["config:flags", "user:*"], "sorted by memory")
        let users = report.namespaces[1]
        XCTAssertEqual(users.keys, 4)
        XCTAssertEqual(users.memoryBytes, 400, "extrapolated from two samples of 100 bytes")
        XCTAssertTrue(users.memoryIsEstimated)
        XCTAssertEqual(users.minTTLMs, 1000)
        XCTAssertEqual(users.maxTTLMs, 4000)
        XCTAssertEqual(users.averageTTLMs, 2500)
        XCTAssertEqual(report.namespaces[0].withoutTTL, 1)
        XCTAssertFalse(report.namespaces[0].memoryIsEstimated)
    }

    func testStatsBoundTheValuesOfOneParent() {
        var stats = KeyStatsAccumulator(options: KeyStatsOptions(scan: KeyScanRequest(pattern: Array("*".utf8)),
                                                                 maxNamespaces: 2))
        for name in ["x:a:1", "x:b:2", "x:c:3", "d"] { stats.add(KeyEntry(key: Array(name.utf8), expiry: .never)) }
        let report = stats.report(outcome: KeyScanOutcome(keys: 4, complete: true, fractionVisited: 1))
        XCTAssertEqual(report.namespaces.map(\.namespace), ["x:*:*", "d"])
        XCTAssertEqual(report.totalKeys, 4)
    }

    private func shapes(_ keys: [String], separator: Character = ":", depth: Int? = nil) -> [String: Int] {
        var tree = ShapeTree<NamespaceStats>(separator: UInt8(ascii: separator.unicodeScalars.first!), depth: depth)
        for key in keys {
            var s = NamespaceStats()
            s.add(KeyEntry(key: Array(key.utf8), expiry: .never))
            tree.add(Array(key.utf8), s)
        }
        var out: [String: Int] = [:]
        for (shape, stats) in tree.shapes() { out[String(decoding: shape, as: UTF8.self)] = stats.keys }
        return out
    }

    /// Ids are found by how many values a segment takes below one parent, not by digits.
    func testShapesGroupNonNumericIdsAndKeepVersionsAndNames() {
        XCTAssertEqual(shapes(["user:alice:cart", "user:bob:cart"]), ["user:*:cart": 2])
        XCTAssertEqual(shapes(["user:alice:cart", "user:alice:orders", "user:bob:cart", "user:carol:orders", "user:admin:settings"]),
                       ["user:*:cart": 2, "user:*:orders": 2, "user:*:settings": 1])
        XCTAssertEqual(shapes(["order:o1:l1", "order:o2:l2"]), ["order:*:*": 2], "ids on two levels")
        XCTAssertEqual(shapes((0..<50).map { "app:inv:\($0)" } + (0..<20).map { "app:keep:\($0)" }),
                       ["app:inv:*": 50, "app:keep:*": 20], "names followed by many ids stay apart, even where the ids overlap")
        XCTAssertEqual(shapes(["v1:user:alice", "v1:user:bob", "v2:user:carol", "v2:user:dave"]),
                       ["v1:user:*": 2, "v2:user:*": 2], "version prefixes are kept")
        XCTAssertEqual(shapes(["api:v1:user:a", "api:v2:user:b", "api:v2:user:c"]),
                       ["api:v1:user:a": 1, "api:v2:user:*": 2], "versions below the first segment too")
        XCTAssertEqual(shapes(["config", "flags", "user:x"]), ["config": 1, "flags": 1, "user:x": 1],
                       "first segments are the application's namespaces")
        XCTAssertEqual(shapes(["tenant:cl1:product:p1", "tenant:cl2:product:p2", "tenant:cl1:inventory:stats"]),
                       ["tenant:*:product:*": 2, "tenant:*:inventory:stats": 1])
        XCTAssertEqual(shapes(["img/alice/avatar.png", "img/bob/avatar.png"], separator: "/"), ["img/*/avatar.png": 2])
        XCTAssertEqual(shapes(["cache.home.v2", "cache.about.v2"], separator: "."), ["cache.*.v2": 2])
        XCTAssertEqual(shapes(["sess_\(String(repeating: "a", count: 30))"], separator: "_"), ["sess_*": 1])
        XCTAssertEqual(shapes(["a:b:c:d", "a:x:c:d"], depth: 2), ["a:*:*": 2])
    }

    func testAuditRules() {
        let options = AuditOptions(scan: KeyScanRequest(pattern: Array("*".utf8)), maxSizeBytes: 100,
                                   namespaces: [Array("tenant:*".utf8)])
        let globs = options.namespaces.map(GlobPattern.init)
        let clean = KeyAudit.check(KeyEntry(key: Array("tenant:1".utf8), expiry: .inMilliseconds(5), sizeBytes: 100),
                                   options: options, namespaces: globs)
        XCTAssertEqual(clean, [])
        let bad = KeyAudit.check(KeyEntry(key: Array("other".utf8), expiry: .never, sizeBytes: 101),
                                 options: options, namespaces: globs)
        XCTAssertEqual(bad.map(\.rule), [.noTTL, .tooLarge, .outsideNamespace])
        XCTAssertEqual(bad[1].sizeBytes, 101)
    }

    func testCursorFraction() {
        XCTAssertEqual(ScanCursor.fractionVisited(ScanCursor.start), 0)
        XCTAssertNil(ScanCursor.fractionVisited(Array("x".utf8)))
        // A table of 8 buckets: after visiting bucket 0 the cursor is rev(1) = 4 in three bits.
        XCTAssertEqual(ScanCursor.fractionVisited(Array("4".utf8)), 0.125)
        XCTAssertEqual(ScanCursor.fractionVisited(Array("6".utf8)), 0.375)
        XCTAssertEqual(UInt64(1).bitReversed, 1 << 63)
    }

    func testTagSetKeyFormat() {
        var request = InvalidationRequest()
        XCTAssertEqual(request.tagSetKey(Array("customer:42".utf8)), Array("tag:customer:42".utf8))
        request.tagKeyFormat = Array("tags:{tag}:{tag}".utf8)
        XCTAssertEqual(request.tagSetKey(Array("x".utf8)), Array("tags:x:x".utf8))
    }
}
