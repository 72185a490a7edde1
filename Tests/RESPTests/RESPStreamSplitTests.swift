import RESP
import XCTest

/// However a stream is cut into chunks, the same values must come out of it.
final class RESPStreamSplitTests: XCTestCase {
    /// One of every type, aggregates nested in each other, bulk payloads holding CR LF.
    private static let values: [RESPValue] = Samples.values
    private static let stream: [UInt8] = {
        var bytes: [UInt8] = []
        for value in values { RESPEncoder.encode(value, into: &bytes) }
        return bytes
    }()

    /// A short stream exercising every header shape, small enough to try every pair of cuts.
    private static let shortValues: [RESPValue] = [
        .simpleString(wire("OK")),
        .integer(-12),
        .bulkString(wire("a\r\nb")),
        .bulkString(nil),
        .map([RESPPair(.bulk("k"), .array([.boolean(true), .double(1.5)]))]),
        .attribute([RESPPair(.null, .bigNumber(wire("123")))], .set([.bulkError(wire("E"))])),
        .verbatimString(format: wire("txt"), text: wire("v")),
        .push([.error(wire("ERR x"))]),
    ]

    func testByteByByte() throws {
        XCTAssertEqual(try parseAll(chunked(Self.stream, size: 1)), Self.values)
    }

    func testFixedChunkSizes() throws {
        for size in [2, 3, 5, 7, 13, 64, 1000] {
            XCTAssertEqual(try parseAll(chunked(Self.stream, size: size)), Self.values, "chunk size \(size)")
        }
    }

    func testEverySingleSplitPoint() throws {
        let stream = Self.stream
        for cut in 0...stream.count {
            let values = try parseAll([Array(stream[..<cut]), Array(stream[cut...])])
            XCTAssertEqual(values, Self.values, "split at \(cut)")
        }
    }

    func testEveryPairOfSplitPoints() throws {
        var stream: [UInt8] = []
        for value in Self.shortValues { RESPEncoder.encode(value, into: &stream) }
        for first in 0...stream.count {
            for second in first...stream.count {
                let chunks = [Array(stream[..<first]), Array(stream[first..<second]), Array(stream[second...])]
                let values = try parseAll(chunks)
                guard values == Self.shortValues else {
                    return XCTFail("splits at \(first) and \(second) gave \(values)")
                }
            }
        }
    }

    func testNothingIsConsumedUntilAValueIsComplete() throws {
        let encoded = RESPEncoder.encode(.array([.bulk("hello"), .map([RESPPair(.integer(1), .null)])]))
        var parser = RESPParser()
        for (index, byte) in encoded.enumerated() {
            parser.append([byte])
            if index < encoded.count - 1 {
                XCTAssertNil(try parser.next(), "value returned after \(index + 1) bytes")
                XCTAssertEqual(parser.bufferedByteCount, index + 1)
            }
        }
        XCTAssertEqual(try parser.next(), .array([.bulk("hello"), .map([RESPPair(.integer(1), .null)])]))
        XCTAssertEqual(parser.bufferedByteCount, 0)
    }

    /// A value left incomplete by `next()` may be finished by `skipNext()` and vice versa:
    /// both continue the same scan.
    func testNextAndSkipNextMayAlternateAcrossSplits() throws {
        let stream = Self.stream
        let kinds = Self.values.map { $0.isError ? RESPParser.SkipResult.error : .value }
        for cut in stride(from: 0, through: stream.count, by: 3) {
            var parser = RESPParser()
            var index = 0
            for chunk in [Array(stream[..<cut]), Array(stream[cut...])] {
                parser.append(chunk)
                while true {
                    if index % 2 == 0 {
                        guard let value = try parser.next() else { break }
                        XCTAssertEqual(value, Self.values[index], "value \(index), split at \(cut)")
                    } else {
                        guard let kind = try parser.skipNextReturningKind() else { break }
                        XCTAssertEqual(kind, kinds[index], "kind \(index), split at \(cut)")
                    }
                    index += 1
                }
            }
            XCTAssertEqual(index, Self.values.count, "split at \(cut)")
            XCTAssertEqual(parser.bufferedByteCount, 0)
        }
    }
}
