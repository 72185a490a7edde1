@testable import RESP
import XCTest

/// The parser's buffer: what it reports, and that it does not grow over a long stream.
final class RESPBufferTests: XCTestCase {
    func testBufferedByteCountTracksUnconsumedBytes() throws {
        var parser = RESPParser()
        XCTAssertEqual(parser.bufferedByteCount, 0)
        XCTAssertNil(try parser.next())
        parser.append(wire("+OK\r\n:1"))
        XCTAssertEqual(parser.bufferedByteCount, 7)
        XCTAssertEqual(try parser.next(), .simpleString(wire("OK")))
        XCTAssertEqual(parser.bufferedByteCount, 2)
        XCTAssertNil(try parser.next())
        XCTAssertEqual(parser.bufferedByteCount, 2)
        parser.append(wire("\r\n"))
        XCTAssertEqual(try parser.next(), .integer(1))
        XCTAssertEqual(parser.bufferedByteCount, 0)
    }

    func testAppendFromRawBuffer() throws {
        var parser = RESPParser()
        let bytes = wire("$3\r\nabc\r\n")
        bytes.withUnsafeBytes { parser.append($0) }
        XCTAssertEqual(try parser.next(), .bulk("abc"))
    }

    func testConsumedBytesAreCompactedDuringALongStream() throws {
        var one: [UInt8] = []
        for value in [RESPValue.simpleString(wire("OK")), .integer(123), .bulk("hello")] {
            RESPEncoder.encode(value, into: &one)
        }
        var stream: [UInt8] = []
        for _ in 0..<20_000 { stream += one }

        var parser = RESPParser()
        var count = 0
        var largestHeld = 0
        for chunk in chunked(stream, size: 1000) {
            parser.append(chunk)
            largestHeld = max(largestHeld, parser.heldByteCount)
            while try parser.next() != nil { count += 1 }
        }
        XCTAssertEqual(count, 60_000)
        // The threshold plus one chunk plus a partial value, far below the 440 KB streamed.
        XCTAssertLessThanOrEqual(largestHeld, 2 * 4096 + 1000)
    }

    func testCompactionKeepsAPartialValue() throws {
        var parser = RESPParser()
        var stream: [UInt8] = []
        for _ in 0..<2000 { RESPEncoder.encode(.bulk("0123456789"), into: &stream) }
        stream += wire("$10\r\n01234")
        parser.append(stream)
        var count = 0
        while try parser.skipNext() { count += 1 }
        XCTAssertEqual(count, 2000)
        parser.append(wire("56789\r\n"))
        XCTAssertLessThan(parser.heldByteCount, 100)
        XCTAssertEqual(try parser.next(), .bulk("0123456789"))
    }

    func testLimitsAreClamped() {
        XCTAssertEqual(RESPParser(maxBulkLength: -5, maxDepth: -1).maxBulkLength, 0)
        XCTAssertEqual(RESPParser(maxBulkLength: -5, maxDepth: -1).maxDepth, 0)
        XCTAssertEqual(RESPParser(maxBulkLength: .max).maxBulkLength, Int.max / 4)
        XCTAssertEqual(RESPParser().maxBulkLength, 512 * 1024 * 1024)
        XCTAssertEqual(RESPParser().maxDepth, 128)
    }

    func testZeroDepthAllowsOnlyScalars() throws {
        var parser = RESPParser(maxDepth: 0)
        parser.append(wire(":1\r\n*0\r\n"))
        XCTAssertEqual(try parser.next(), .integer(1))
        XCTAssertThrowsError(try parser.next()) { XCTAssertEqual($0 as? RESPProtocolError, .nestingTooDeep(limit: 0)) }
    }
}
