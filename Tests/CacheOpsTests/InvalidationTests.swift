import XCTest
import TestSupport
import RedisClient
@testable import CacheOps

final class InvalidationTests: XCTestCase {
    /// One run on `conn` (no prefix unless `scope` has one), with the request `configure` sets up.
    private func invalidate(_ conn: RedisConnection, scope: KeyScope = KeyScope(), keys: [[UInt8]] = [],
                            shouldStop: () -> Bool = { false },
                            progress: (InvalidationProgress) -> Void = { _ in },
                            _ configure: (inout InvalidationRequest) -> Void) -> InvalidationSummary {
        var request = InvalidationRequest()
        configure(&request)
        return Invalidation.run(on: RoutedClient(seed: conn), scope: scope, request: request, keys: keys,
                                shouldStop: shouldStop, progress: progress)
    }

    func testPatternDeletesExactlyTheMatchingKeys() throws {
        let conn = try emptyDatabase(13)
        let filler = (0..<5000).map { Array("m:filler:\($0)".utf8) }
        try AwkwardKeys.seed(conn, AwkwardKeys.matching + AwkwardKeys.others + filler)
        var progressCalls = 0
        let summary = invalidate(conn, progress: { _ in progressCalls += 1 }) {
            $0.patterns = [AwkwardKeys.pattern]
            $0.batchSize = 64
            $0.scanCount = 200
        }
        XCTAssertNil(summary.failure)
        XCTAssertNil(summary.stop)
        // SCAN may return a key twice while deletions shrink the table (rehashing), and
        // matched/scanned count what SCAN returned: exact only for `deleted`.
        XCTAssertEqual(summary.deleted, AwkwardKeys.matching.count + filler.count)
        XCTAssertGreaterThanOrEqual(summary.matched, summary.deleted)
        XCTAssertEqual(summary.deletedByPattern, summary.deleted)
        XCTAssertGreaterThanOrEqual(summary.scanned, AwkwardKeys.matching.count + AwkwardKeys.others.count + filler.count)
        XCTAssertGreaterThanOrEqual(summary.scanned, summary.matched)
        XCTAssertEqual(summary.deleteCommand, "UNLINK")
        XCTAssertEqual(try AwkwardKeys.allKeys(conn), Set(AwkwardKeys.others))
        XCTAssertGreaterThan(progressCalls, 1)
    }

    func testDryRunDeletesNothingAndSamples() throws {
        let conn = try emptyDatabase(13)
        try AwkwardKeys.seed(conn, AwkwardKeys.matching + AwkwardKeys.others)
        let summary = invalidate(conn, keys: [[0x6D, 0x3A, 0xFF], Array("n:plain".utf8)]) {
            $0.patterns = [AwkwardKeys.pattern]
            $0.dryRun = true
            $0.sampleSize = 3
        }
        XCTAssertEqual(summary.matched, AwkwardKeys.matching.count + 2)
        XCTAssertEqual(summary.deleted, 0)
        XCTAssertEqual(summary.existing, 1, "of the two named keys only n:plain exists")
        XCTAssertEqual(summary.sample.count, 3)
        XCTAssertTrue(summary.sample.allSatisfy(Set(AwkwardKeys.matching).contains))
        XCTAssertEqual(try AwkwardKeys.allKeys(conn).count, AwkwardKeys.matching.count + AwkwardKeys.others.count)
    }

    func testNamedKeysAndTagsWithPrefix() throws {
        let prefix = Array("app[1]:".utf8)
        let conn = try emptyDatabase(13, prefix: prefix)
        let scope = KeyScope(prefix: prefix)
        try AwkwardKeys.seed(conn, (AwkwardKeys.matching + AwkwardKeys.others).map(scope.key))
        // The tag's set holds keys as the application wrote them, without the prefix.
        let tagged = Array(AwkwardKeys.matching.prefix(6))
        try conn.command([Array("SADD".utf8), scope.key(Array("tags:cust 42".utf8))] + tagged)
        let named = Array(AwkwardKeys.matching.suffix(4))
        let summary = invalidate(conn, scope: scope, keys: named + [Array("missing".utf8)]) {
            $0.tags = [Array("cust 42".utf8)]
            $0.tagKeyFormat = Array("tags:{tag}".utf8)
        }
        XCTAssertNil(summary.failure)
        XCTAssertEqual(summary.deletedByTag, 6)
        XCTAssertEqual(summary.deletedByKey, 4)
        XCTAssertEqual(summary.keysProcessed, 5)
        XCTAssertEqual(summary.tagSetsDeleted, 1)
        let left = try AwkwardKeys.allKeys(conn)
        let expected = Set((AwkwardKeys.matching.dropFirst(6).dropLast(4) + AwkwardKeys.others).map(scope.key))
        XCTAssertEqual(left, expected)
    }

    func testALimitMetExactlyIsNotAStop() throws {
        let conn = try emptyDatabase(13)
        try AwkwardKeys.seed(conn, (0..<5).map { Array("exact:\($0)".utf8) })
        let done = invalidate(conn) {
            $0.patterns = [Array("exact:*".utf8)]
            $0.limit = 5
        }
        XCTAssertEqual(done.deleted, 5)
        XCTAssertNil(done.stop, "nothing was left when the limit was reached")
        try AwkwardKeys.seed(conn, (0..<5).map { Array("exact:\($0)".utf8) })
        let withKeys = invalidate(conn, keys: [Array("other".utf8)]) {
            $0.patterns = [Array("exact:*".utf8)]
            $0.limit = 5
        }
        XCTAssertEqual(withKeys.stop, .limit, "a named key was still waiting")
    }

    func testLimitAndStopGiveTruePartialFigures() throws {
        let conn = try emptyDatabase(13)
        try AwkwardKeys.seed(conn, (0..<3000).map { Array("p:\($0)".utf8) })
        let limited = invalidate(conn) {
            $0.patterns = [Array("p:*".utf8)]
            $0.limit = 1234
            $0.batchSize = 100
        }
        XCTAssertEqual(limited.matched, 1234)
        XCTAssertEqual(limited.deleted, 1234)
        XCTAssertEqual(limited.stop, .limit)
        XCTAssertEqual(try AwkwardKeys.allKeys(conn).count, 3000 - 1234)

        var checks = 0
        let stopped = invalidate(conn, shouldStop: {
            checks += 1
            return checks > 3
        }) {
            $0.patterns = [Array("p:*".utf8)]
            $0.scanCount = 100
        }
        XCTAssertEqual(stopped.stop, .requested)
        XCTAssertGreaterThan(stopped.deleted, 0)
        XCTAssertEqual(stopped.deleted, stopped.matched, "the page in hand is finished before stopping")
        XCTAssertEqual(try AwkwardKeys.allKeys(conn).count, 3000 - 1234 - stopped.deleted)

        let rerun = invalidate(conn) { $0.patterns = [Array("p:*".utf8)] }
        XCTAssertNil(rerun.stop)
        XCTAssertEqual(try AwkwardKeys.allKeys(conn).count, 0, "a rerun finishes the job")
    }

    func testRateLimitPacesDeletion() throws {
        let conn = try emptyDatabase(13)
        try AwkwardKeys.seed(conn, (0..<300).map { Array("r:\($0)".utf8) })
        let summary = invalidate(conn) {
            $0.patterns = [Array("r:*".utf8)]
            $0.rate = 1000
        }
        XCTAssertEqual(summary.deleted, 300)
        // 300 keys at 1000/s in batches of 100: the last batch waits about 0.2 s.
        XCTAssertGreaterThan(summary.elapsed, .milliseconds(150))
    }

    func testAdaptivePacingReportsItsSizes() throws {
        let conn = try emptyDatabase(13)
        try AwkwardKeys.seed(conn, (0..<3000).map { Array("p:\($0)".utf8) })
        let summary = invalidate(conn) {
            $0.patterns = [Array("p:*".utf8)]
        }
        XCTAssertNil(summary.failure)
        XCTAssertEqual(summary.deleted, 3000)
        XCTAssertGreaterThanOrEqual(summary.batchSize, PacingController.Settings().floor)
        XCTAssertLessThanOrEqual(summary.batchSize, 1000)
        XCTAssertGreaterThan(summary.inFlight, 0)
    }

    func testDelIsUsedWhereUnlinkIsUnknown() throws {
        let server = try RedisServer.start(extraArguments: ["--rename-command", "UNLINK", ""])
        defer { server.stop() }
        let conn = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: server.host, port: server.port)))
        try AwkwardKeys.seed(conn, (0..<10).map { Array("d:\($0)".utf8) })
        let summary = invalidate(conn) { $0.patterns = [Array("d:*".utf8)] }
        XCTAssertNil(summary.failure)
        XCTAssertEqual(summary.deleteCommand, "DEL")
        XCTAssertEqual(summary.deleted, 10)
    }

    func testLostConnectionIsReportedWithPartialFigures() throws {
        let server = try RedisServer.start()
        let conn = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: server.host, port: server.port)))
        try AwkwardKeys.seed(conn, (0..<2000).map { Array("x:\($0)".utf8) })
        var checks = 0
        let summary = invalidate(conn, shouldStop: {
            checks += 1
            if checks == 3 { server.stop() }
            return false
        }) {
            $0.patterns = [Array("x:*".utf8)]
            $0.scanCount = 100
        }
        XCTAssertEqual(summary.failure?.category, .unavailable, "\(String(describing: summary.failure))")
        XCTAssertGreaterThan(summary.matched, 0)
    }
}

final class InvalidationCounterTests: XCTestCase {
    func testScannedIsNeverBelowMatchedNorAnEstimateAboveTheDatabase() {
        XCTAssertEqual(InvalidationRunner.scanned(dbsize: 150_000, fraction: 1, matched: 150_004), 150_004,
                       "a key SCAN returned twice was looked at twice")
        XCTAssertEqual(InvalidationRunner.scanned(dbsize: 150_000, fraction: 0.2129, matched: 32_017), 32_017)
        XCTAssertEqual(InvalidationRunner.scanned(dbsize: 1000, fraction: 0.5, matched: 100), 500)
        XCTAssertEqual(InvalidationRunner.scanned(dbsize: 1000, fraction: 1.5, matched: 0), 1000)
        XCTAssertEqual(InvalidationRunner.scanned(dbsize: 0, fraction: 0.3, matched: 0), 0)
    }
}
