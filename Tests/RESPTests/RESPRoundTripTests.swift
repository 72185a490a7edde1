import RESP
import XCTest

/// Values that must survive encode → parse unchanged, shared with the split tests.
enum Samples {
    static let allBytes: [UInt8] = (0...255).map { UInt8($0) }

    /// One of every case, plus the edge values of each.
    static let values: [RESPValue] = [
        .simpleString(wire("OK")),
        .simpleString([]),
        .error(wire("ERR something went wrong")),
        .integer(0),
        .integer(-1),
        .integer(.max),
        .integer(.min),
        .bulkString(wire("hello")),
        .bulkString([]),
        .bulkString(nil),
        .bulkString(allBytes),
        .bulkString(wire("\r\n\r\n$3\r\n*1\r\n")),
        .array([]),
        .array(nil),
        .array([.integer(1), .bulk("two"), .array([.null, .bulkString(nil)])]),
        .null,
        .boolean(true),
        .boolean(false),
        .double(3.14),
        .double(-0.5),
        .double(1e300),
        .double(.leastNonzeroMagnitude),
        .double(1e-5),
        .double(1.2345678901234568e20),
        .double(.infinity),
        .double(-.infinity),
        .bigNumber(wire("3492890328409238509324850943850943825024385")),
        .bigNumber(wire("-1")),
        .bulkError(wire("SYNTAX invalid\r\nsyntax")),
        .verbatimString(format: wire("txt"), text: wire("Some string")),
        .verbatimString(format: wire("mkd"), text: allBytes),
        .map([]),
        .map([
            RESPPair(.bulk("nested"), .map([RESPPair(.integer(1), .set([.boolean(true), .double(2.5)]))])),
            RESPPair(.array([.bulk("key"), .null]), .push([.bulk("inner")])),
        ]),
        .set([]),
        .set([.bulk("a"), .integer(2), .set([.null])]),
        .attribute([], .integer(1)),
        .attribute(
            [RESPPair(.simpleString(wire("key-popularity")), .map([RESPPair(.bulk("a"), .double(0.1923))]))],
            .array([.integer(2039123), .attribute([RESPPair(.bulk("x"), .null)], .bulk("y"))])
        ),
        .attribute([RESPPair(.bulk("outer"), .integer(1))], .attribute([RESPPair(.bulk("inner"), .integer(2))], .error(wire("ERR")))),
        .push([]),
        .push([.bulk("message"), .bulk("channel"), .bulkString(allBytes)]),
        .map([RESPPair(.attribute([RESPPair(.null, .null)], .bulk("k")), .verbatimString(format: wire("txt"), text: wire("v")))]),
    ]
}

final class RESPRoundTripTests: XCTestCase {
    func testEveryValueRoundTrips() throws {
        for value in Samples.values {
            let encoded = RESPEncoder.encode(value)
            XCTAssertEqual(try parseOne(encoded), value, "round trip of \(value)")
        }
    }

    func testAllValuesRoundTripAsOneStream() throws {
        var stream: [UInt8] = []
        for value in Samples.values { RESPEncoder.encode(value, into: &stream) }
        XCTAssertEqual(try parseAll(stream), Samples.values)
    }

    func testNaNRoundTrips() throws {
        let encoded = RESPEncoder.encode(.double(.nan))
        XCTAssertEqual(encoded, wire(",nan\r\n"))
        guard case .double(let value)? = try parseOne(encoded) else { return XCTFail("not a double") }
        XCTAssertTrue(value.isNaN)
    }

    func testDoublesRoundTripBitForBit() throws {
        let doubles: [Double] = [0.1, 1.0 / 3.0, -0.0, .pi, .ulpOfOne, .greatestFiniteMagnitude, .leastNormalMagnitude, 1e16, 2.5e-8]
        for number in doubles {
            guard case .double(let parsed)? = try parseOne(RESPEncoder.encode(.double(number))) else {
                XCTFail("\(number) did not parse as a double")
                continue
            }
            XCTAssertEqual(parsed.bitPattern, number.bitPattern, "\(number)")
        }
    }

    func testEveryByteValueSurvivesInBulkPayloads() throws {
        var payload: [UInt8] = []
        for _ in 0..<4 { payload += Samples.allBytes.reversed() + Samples.allBytes }
        let value = RESPValue.array([.bulkString(payload), .bulkError(payload), .verbatimString(format: wire("bin"), text: payload)])
        XCTAssertEqual(try parseOne(RESPEncoder.encode(value)), value)
    }

    func testCommandsParseAsArraysOfBulkStrings() throws {
        let command = RESPEncoder.command([wire("SET"), Samples.allBytes, wire("\r\n")])
        XCTAssertEqual(try parseOne(command), .array([.bulk("SET"), .bulkString(Samples.allBytes), .bulk("\r\n")]))
    }
}
