import XCTest
@testable import CacheOps

/// The histogram's promises: at most 1% relative error anywhere in the range, nearest-rank
/// percentiles, and merging equal to recording everything in one place.
final class LatencyHistogramTests: XCTestCase {
    func testEveryValueLandsInABucketNarrowerThanOnePercent() {
        var values: [UInt64] = Array(0...5000)
        var x: UInt64 = 5001
        while x < UInt64.max / 3 {
            values += [x - 1, x, x + 1]
            x = x * 3 / 2 + 7
        }
        values.append(.max)
        for v in values {
            let b = LatencyHistogram.bucket(for: v)
            XCTAssertLessThan(b, LatencyHistogram.bucketCount, "\(v)")
            let (low, width) = LatencyHistogram.range(of: b)
            XCTAssertLessThanOrEqual(low, v, "\(v)")
            XCTAssertLessThanOrEqual(v - low, width - 1, "\(v)")
            // The reported midpoint is within half a bucket, and a bucket is at most 1/128 of its values.
            let mid = low + (width - 1) / 2
            let error = Double(max(mid, v) - min(mid, v)) / Double(max(v, 1))
            XCTAssertLessThanOrEqual(error, 0.01, "\(v)")
            if v >= 256 { XCTAssertLessThanOrEqual(Double(width) / Double(low), 1.0 / 128 + 1e-12, "\(v)") }
        }
    }

    func testBucketsAreContiguousAndOrdered() {
        var expectedLow: UInt64 = 0
        for b in 0..<LatencyHistogram.bucketCount {
            let (low, width) = LatencyHistogram.range(of: b)
            XCTAssertEqual(low, expectedLow, "bucket \(b)")
            expectedLow = low &+ width
        }
        XCTAssertEqual(expectedLow, 0, "the last bucket ends at UInt64.max")
    }

    func testPercentilesMatchExactNearestRankWithinOnePercent() {
        var random = SystemRandomNumberGenerator()
        var h = LatencyHistogram()
        var values: [UInt64] = []
        for _ in 0..<100_000 {
            // Log-uniform from 100 ns to 100 ms, like latencies with a long tail.
            let v = UInt64(pow(10, Double.random(in: 2...8, using: &random)))
            values.append(v)
            h.record(v)
        }
        values.sort()
        for p in [0.1, 1, 25, 50, 90, 99, 99.9, 99.99] {
            let rank = max(1, Int((p / 100 * Double(values.count)).rounded(.up)))
            let exact = Double(values[rank - 1])
            let got = Double(h.value(atPercentile: p))
            XCTAssertLessThanOrEqual(abs(got - exact) / exact, 0.01, "p\(p): \(got) vs \(exact)")
        }
        XCTAssertEqual(h.value(atPercentile: 100), values.last)
        XCTAssertEqual(h.min, values.first)
        XCTAssertEqual(h.max, values.last)
        XCTAssertEqual(h.count, 100_000)
        XCTAssertEqual(h.mean, Double(values.reduce(0, +)) / 100_000, accuracy: 1e-6)
    }

    func testSmallValuesAreExactAndPercentilesStayInsideMinAndMax() {
        var h = LatencyHistogram()
        for v: UInt64 in [5, 5, 5, 200, 255] { h.record(v) }
        XCTAssertEqual(h.value(atPercentile: 50), 5)
        XCTAssertEqual(h.value(atPercentile: 80), 200)
        XCTAssertEqual(h.value(atPercentile: 99), 255)
        var one = LatencyHistogram()
        one.record(1_234_567)
        for p in [0.0, 50, 99.9, 100] { XCTAssertEqual(one.value(atPercentile: p), 1_234_567) }
    }

    func testEmptyHistogramReportsZeros() {
        let h = LatencyHistogram()
        XCTAssertEqual(h.count, 0)
        XCTAssertEqual(h.value(atPercentile: 50), 0)
        XCTAssertEqual(h.mean, 0)
    }

    func testMergeEqualsRecordingEverythingInOne() {
        var all = LatencyHistogram(), a = LatencyHistogram(), b = LatencyHistogram(), c = LatencyHistogram()
        for i in 0..<30_000 {
            let v = UInt64(i * i % 9_000_017 + 100)
            all.record(v)
            switch i % 3 {
            case 0: a.record(v)
            case 1: b.record(v)
            default: c.record(v)
            }
        }
        var merged = LatencyHistogram()
        merged.merge(a)
        merged.merge(LatencyHistogram())
        merged.merge(b)
        merged.merge(c)
        XCTAssertEqual(merged, all)
        for p in [50.0, 90, 99, 99.9] { XCTAssertEqual(merged.value(atPercentile: p), all.value(atPercentile: p)) }
    }

    func testResetForgetsEverything() {
        var h = LatencyHistogram()
        h.record(42)
        h.reset()
        XCTAssertEqual(h, LatencyHistogram())
    }
}
