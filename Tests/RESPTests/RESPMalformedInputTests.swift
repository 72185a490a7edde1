import RESP
import XCTest

/// Each kind of malformed input yields its exact protocol error, whichever way it arrives.
final class RESPMalformedInputTests: XCTestCase {
    /// Checks the error for `input` fed whole, byte by byte, and through `skipNext()`.
    private func assertError(
        _ input: String, _ expected: RESPProtocolError,
        parser: RESPParser = RESPParser(), file: StaticString = #filePath, line: UInt = #line
    ) {
        assertError(wire(input), expected, parser: parser, file: file, line: line)
    }

    private func assertError(
        _ input: [UInt8], _ expected: RESPProtocolError,
        parser: RESPParser = RESPParser(), file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(protocolError([input], parser: parser), expected, "whole", file: file, line: line)
        XCTAssertEqual(protocolError(chunked(input, size: 1), parser: parser), expected, "byte by byte", file: file, line: line)
        XCTAssertEqual(skipError([input], parser: parser), expected, "skipNext", file: file, line: line)
        XCTAssertEqual(skipError(chunked(input, size: 1), parser: parser), expected, "skipNext byte by byte", file: file, line: line)
    }

    func testUnknownTypeByte() {
        assertError("X\r\n", .unknownType(.ascii("X")))
        assertError([0x00], .unknownType(0x00))
        assertError("*1\r\n@\r\n", .unknownType(.ascii("@")))
        assertError("+OK\r\n\r\n", .unknownType(0x0D))
    }

    func testNegativeLengthOtherThanMinusOne() {
        assertError("$-2\r\n", .invalidLength(type: .ascii("$")))
        assertError("*-2\r\n", .invalidLength(type: .ascii("*")))
        assertError("$-10\r\n", .invalidLength(type: .ascii("$")))
        assertError("$-1x\r\n", .invalidLength(type: .ascii("$")))
    }

    func testNullFormOnTypesWithoutOne() {
        for type in ["%", "~", ">", "|", "!", "="] {
            assertError("\(type)-1\r\n", .invalidLength(type: UInt8(ascii: Unicode.Scalar(type)!)))
        }
    }

    func testNonNumericLength() {
        assertError("$abc\r\n", .invalidLength(type: .ascii("$")))
        assertError("$\r\n", .invalidLength(type: .ascii("$")))
        assertError("$12a\r\n", .invalidLength(type: .ascii("$")))
        assertError("$ 3\r\n", .invalidLength(type: .ascii("$")))
        assertError("*+1\r\n", .invalidLength(type: .ascii("*")))
        assertError("%x\r\n", .invalidLength(type: .ascii("%")))
    }

    func testLengthWithTooManyDigits() {
        assertError("$00000000000000000001\r\n", .invalidLength(type: .ascii("$")))
    }

    func testStreamedTypesAreRejected() {
        assertError("$?\r\n;4\r\nHell\r\n;0\r\n", .streamedTypeUnsupported(type: .ascii("$")))
        assertError("*?\r\n:1\r\n.\r\n", .streamedTypeUnsupported(type: .ascii("*")))
        assertError("%?\r\n", .streamedTypeUnsupported(type: .ascii("%")))
    }

    func testBulkLengthOverLimitFailsBeforeThePayloadArrives() {
        let limit = 512 * 1024 * 1024
        let declared = 600 * 1024 * 1024
        // No CR LF and no payload: the digits alone must be enough.
        XCTAssertEqual(protocolError([wire("$\(declared)")]), .lengthTooLarge(type: .ascii("$"), limit: limit))
        assertError("$\(declared)\r\n", .lengthTooLarge(type: .ascii("$"), limit: limit))
        assertError("!\(limit + 1)\r\n", .lengthTooLarge(type: .ascii("!"), limit: limit))
        assertError("=\(declared)\r\n", .lengthTooLarge(type: .ascii("="), limit: limit))
    }

    func testBulkLengthAtLimitWaitsForItsBytes() throws {
        var parser = RESPParser(maxBulkLength: 16)
        parser.append(wire("$16\r\n0123456789"))
        XCTAssertNil(try parser.next())
        parser.append(wire("abcdef\r\n"))
        XCTAssertEqual(try parser.next(), .bulk("0123456789abcdef"))
        XCTAssertEqual(protocolError([wire("$17\r\n")], parser: RESPParser(maxBulkLength: 16)), .lengthTooLarge(type: .ascii("$"), limit: 16))
    }

    func testLengthOverflowingInt64() {
        assertError("$99999999999999999999\r\n", .lengthTooLarge(type: .ascii("$"), limit: 512 * 1024 * 1024))
        assertError("*9223372036854775808\r\n", .lengthTooLarge(type: .ascii("*"), limit: Int(Int32.max)))
        // The largest limit still leaves room for the length arithmetic.
        assertError("$9223372036854775807\r\n", .lengthTooLarge(type: .ascii("$"), limit: Int.max / 4), parser: RESPParser(maxBulkLength: .max))
    }

    func testAggregateCountOverLimit() {
        let limit = Int(Int32.max)
        assertError("*\(limit + 1)\r\n", .lengthTooLarge(type: .ascii("*"), limit: limit))
        assertError("%3000000000\r\n", .lengthTooLarge(type: .ascii("%"), limit: limit))
        assertError("~4294967296\r\n", .lengthTooLarge(type: .ascii("~"), limit: limit))
    }

    func testNestingDeeperThanTheLimit() throws {
        let tooDeep = String(repeating: "*1\r\n", count: 129) + ":1\r\n"
        assertError(tooDeep, .nestingTooDeep(limit: 128))

        var deepest: RESPValue = .integer(1)
        for _ in 0..<128 { deepest = .array([deepest]) }
        XCTAssertEqual(try parseOne(wire(String(repeating: "*1\r\n", count: 128) + ":1\r\n")), deepest)
    }

    func testNestingCountsEveryAggregateType() {
        assertError("%1\r\n~1\r\n>1\r\n:1\r\n", .nestingTooDeep(limit: 2), parser: RESPParser(maxDepth: 2))
        assertError("|1\r\n_\r\n|1\r\n_\r\n:1\r\n", .nestingTooDeep(limit: 1), parser: RESPParser(maxDepth: 1))
    }

    func testMissingCRLFAfterBulkPayload() {
        assertError("$3\r\nabcXY", .missingCRLF(type: .ascii("$")))
        assertError("$3\r\nabc\rX", .missingCRLF(type: .ascii("$")))
        assertError("$3\r\nabcd\r\n", .missingCRLF(type: .ascii("$")))
        assertError("!1\r\nE\n\r", .missingCRLF(type: .ascii("!")))
    }

    func testMissingCRLFAfterLines() {
        assertError("+OK\rX", .missingCRLF(type: .ascii("+")))
        assertError("$3\rX", .missingCRLF(type: .ascii("$")))
        assertError(":12\r\r", .missingCRLF(type: .ascii(":")))
        assertError("_\rx", .missingCRLF(type: .ascii("_")))
        assertError("_x\r\n", .missingCRLF(type: .ascii("_")))
        assertError("#t\r:", .missingCRLF(type: .ascii("#")))
    }

    func testBadBoolean() {
        assertError("#x\r\n", .invalidBoolean)
        assertError("#tt\r\n", .invalidBoolean)
        assertError("#\r\n", .invalidBoolean)
        assertError("#T\r\n", .invalidBoolean)
    }

    func testBadDouble() {
        for text in ["abc", "1.5.3", "", "-", ".", "1e", "1e+", "0x1p3", "infinity", "NaN", " 1", "1 ", "1,5", "--1"] {
            assertError(",\(text)\r\n", .invalidDouble)
        }
    }

    func testDoubleLineTooLong() {
        assertError("," + String(repeating: "1", count: 300), .lineTooLong(type: .ascii(","), limit: 256))
    }

    func testBadInteger() {
        assertError(":\r\n", .invalidInteger)
        assertError(":-\r\n", .invalidInteger)
        assertError(":12a\r\n", .invalidInteger)
        assertError(":1.5\r\n", .invalidInteger)
        assertError(":9223372036854775808\r\n", .invalidInteger)
        assertError(":-9223372036854775809\r\n", .invalidInteger)
        assertError(":00000000000000000000\r\n", .invalidInteger)
    }

    func testBadBigNumber() {
        assertError("(\r\n", .invalidBigNumber)
        assertError("(-\r\n", .invalidBigNumber)
        assertError("(12a3\r\n", .invalidBigNumber)
    }

    func testBadVerbatimString() {
        assertError("=3\r\ntxt\r\n", .invalidVerbatimString)
        assertError("=5\r\ntxt-x\r\n", .invalidVerbatimString)
        assertError("=0\r\n\r\n", .invalidVerbatimString)
    }

    func testLineLongerThanTheLimit() {
        let parser = RESPParser(maxBulkLength: 8)
        assertError("+123456789", .lineTooLong(type: .ascii("+"), limit: 8), parser: parser)
        assertError("-123456789\r\n", .lineTooLong(type: .ascii("-"), limit: 8), parser: parser)
        XCTAssertNil(protocolError([wire("+12345678\r\n")], parser: parser))
    }

    func testErrorsAreStickyBecauseTheStreamIsDesynchronised() {
        var parser = RESPParser()
        parser.append(wire("+OK\r\n#x\r\n"))
        XCTAssertEqual(try parser.next(), .simpleString(wire("OK")))
        XCTAssertThrowsError(try parser.next()) { XCTAssertEqual($0 as? RESPProtocolError, .invalidBoolean) }
        parser.append(wire(":1\r\n"))
        XCTAssertThrowsError(try parser.next()) { XCTAssertEqual($0 as? RESPProtocolError, .invalidBoolean) }
        XCTAssertThrowsError(try parser.skipNext()) { XCTAssertEqual($0 as? RESPProtocolError, .invalidBoolean) }
    }

    func testDescriptionsAreOneReadableLine() {
        let errors: [RESPProtocolError] = [
            .unknownType(0x0A), .unknownType(.ascii("X")), .invalidLength(type: .ascii("$")),
            .lengthTooLarge(type: .ascii("*"), limit: 10), .streamedTypeUnsupported(type: .ascii("$")),
            .invalidInteger, .invalidDouble, .invalidBoolean, .invalidBigNumber, .invalidVerbatimString,
            .missingCRLF(type: .ascii("+")), .lineTooLong(type: .ascii("-"), limit: 8), .nestingTooDeep(limit: 128),
        ]
        for error in errors {
            XCTAssertFalse(error.description.contains("\n"), error.description)
            XCTAssertTrue(error.description.hasPrefix("protocol error: "), error.description)
        }
        XCTAssertEqual(RESPProtocolError.unknownType(0x0A).description, "protocol error: unknown RESP type byte 0x0A")
        XCTAssertEqual(
            RESPProtocolError.lengthTooLarge(type: .ascii("$"), limit: 536_870_912).description,
            "protocol error: '$' length exceeds the limit of 536870912"
        )
    }
}
