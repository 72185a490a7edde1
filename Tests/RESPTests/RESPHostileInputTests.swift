import Foundation
import RESP
import XCTest

/// Input crafted to make a parser allocate, loop or recurse out of proportion to the bytes
/// actually received.
final class RESPHostileInputTests: XCTestCase {
    func testHugeDeclaredArrayCountWithFewBytesWaitsWithoutAllocating() throws {
        for header in ["*2147483647\r\n", "%2147483647\r\n", "~2147483647\r\n", ">2147483647\r\n", "|2147483647\r\n"] {
            var parser = RESPParser()
            let bytes = wire(header + ":1\r\n$3\r\nabc\r\n_\r\n")
            parser.append(bytes)
            XCTAssertNil(try parser.next(), header)
            XCTAssertNil(try parser.next(), header)
            XCTAssertFalse(try parser.skipNext(), header)
            XCTAssertEqual(parser.bufferedByteCount, bytes.count, header)
        }
    }

    func testHugeDeclaredCountsNestedInsideAnAggregate() throws {
        var parser = RESPParser()
        parser.append(wire("*3\r\n*2147483647\r\n%2147483647\r\n:1\r\n"))
        XCTAssertNil(try parser.next())
    }

    func testHugeDeclaredBulkLengthWaitsWithoutAllocating() throws {
        var parser = RESPParser()
        parser.append(wire("$536870912\r\nabc"))
        for _ in 0..<1000 { XCTAssertNil(try parser.next()) }
        XCTAssertEqual(parser.bufferedByteCount, 15)
    }

    func testManyEmptyNestedAggregatesAtTheDepthLimit() throws {
        // Level 127 holds ten empty arrays, each at the deepest level allowed.
        let value = wire(String(repeating: "*1\r\n", count: 126) + "*10\r\n" + String(repeating: "*0\r\n", count: 10))
        XCTAssertEqual(try parseAll(value).count, 1)
    }

    func testDeepNestingFailsInsteadOfOverflowingTheStack() {
        let bytes = wire(String(repeating: "*1\r\n", count: 100_000))
        XCTAssertEqual(protocolError([bytes]), .nestingTooDeep(limit: 128))
        XCTAssertEqual(skipError([bytes]), .nestingTooDeep(limit: 128))
        let attributes = wire(String(repeating: "|1\r\n_\r\n_\r\n", count: 100_000))
        XCTAssertEqual(protocolError([attributes]), .nestingTooDeep(limit: 128))
    }

    func testGarbageBytesNeverTrap() {
        // A deterministic pseudo-random byte soup, biased towards RESP's own characters.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let alphabet = wire("+-:$*_#,(!=%~|>0123456789-?\r\n\r\ntfinax")
        for _ in 0..<2000 {
            var bytes: [UInt8] = []
            for _ in 0..<32 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let pick = Int(truncatingIfNeeded: state >> 33)
                bytes.append(pick % 7 == 0 ? UInt8(truncatingIfNeeded: pick >> 8) : alphabet[pick % alphabet.count])
            }
            // Whatever happens must be a value, a wait, or a typed error, the same either way.
            XCTAssertEqual(protocolError([bytes]), protocolError(chunked(bytes, size: 1)), "\(bytes)")
            XCTAssertEqual(protocolError([bytes]), skipError([bytes]), "\(bytes)")
        }
    }

    /// Re-reading an incomplete value from its start on every chunk takes about 40 s here
    /// in a debug build; the resumable scan keeps it linear, well under a second.
    func testLargeAggregateArrivingInSmallChunksIsNotQuadratic() throws {
        let elementCount = 15_000
        var stream: [UInt8] = []
        RESPEncoder.encode(.array((0..<elementCount).map { .integer(Int64($0)) }), into: &stream)
        let start = Date()
        let values = try parseAll(chunked(stream, size: 7))
        XCTAssertEqual(values.first?.elements?.count, elementCount)
        XCTAssertEqual(values.first?.elements?.last, .integer(Int64(elementCount - 1)))
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }

    func testLongLineArrivingInSmallChunksIsNotQuadratic() throws {
        let text = [UInt8](repeating: UInt8(ascii: "x"), count: 1_000_000)
        let stream = [UInt8(ascii: "+")] + text + wire("\r\n")
        let start = Date()
        XCTAssertEqual(try parseAll(chunked(stream, size: 100)), [.simpleString(text)])
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }

    func testLargeBulkArrivingInSmallChunks() throws {
        let payload = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let stream = RESPEncoder.encode(.array([.bulkString(payload), .integer(1)]))
        XCTAssertEqual(try parseAll(chunked(stream, size: 1000)), [.array([.bulkString(payload), .integer(1)])])
    }
}
