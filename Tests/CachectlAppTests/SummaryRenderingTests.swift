import XCTest
import CacheOps
import CLI
import RedisClient
@testable import CachectlApp

/// Summaries of runs that may stop part-way carry their outcome, and documents that used
/// to be missing exist.
final class SummaryRenderingTests: XCTestCase {
    func testAnInvalidationSummaryCarriesItsErrorAndExitCode() {
        var s = InvalidationSummary()
        s.scanned = 10
        s.matched = 4
        s.deleted = 3
        s.unconfirmed = 1
        let error = RedisError.connectionLost(endpoint: "h:1", reason: "closed by peer")
        s.failure = error
        let failure = Failure(error)
        let json = InvalidationRenderer.json(s, request: InvalidationRequest(), failure: failure, exitCode: failure.exitCode)
            .serialized()
        XCTAssertTrue(json.contains(#""deleted":3,"deletedUnconfirmed":1"#), json)
        XCTAssertTrue(json.hasSuffix(#""error":"connection to h:1 lost: closed by peer","exitCode":69}"#), json)
        let clean = InvalidationRenderer.json(InvalidationSummary(), request: InvalidationRequest()).serialized()
        XCTAssertTrue(clean.hasSuffix(#""error":null,"exitCode":0}"#), clean)
    }

    func testCacheSetHasADocument() {
        XCTAssertEqual(CacheRenderer.setJSON(key: Array("user:1".utf8), sizeBytes: 5, ttlMs: 60_000).serialized(),
                       #"{"key":"user:1","stored":true,"ttlMs":60000,"ttl":60,"sizeBytes":5}"#)
        XCTAssertEqual(CacheRenderer.setJSON(key: Array("k".utf8), sizeBytes: 0, ttlMs: nil).serialized(),
                       #"{"key":"k","stored":true,"ttlMs":null,"ttl":null,"sizeBytes":0}"#)
    }
}
