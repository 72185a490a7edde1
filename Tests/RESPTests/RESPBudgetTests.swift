import Foundation
import RESP
import XCTest

/// Per-reply budgets: a value past its byte or element budget is a protocol error raised
/// as soon as the bytes show it, the same however the stream is chunked, built or skipped.
final class RESPBudgetTests: XCTestCase {
    private func parser(bytes: Int = .max, elements: Int = .max) -> RESPParser {
        var p = RESPParser()
        p.budget = RESPBudget(maxBytes: bytes, maxElements: elements)
        return p
    }

    func testAValueOfExactlyTheByteBudgetIsAcceptedAndOneMoreIsNot() throws {
        let value = wire("$5\r\nhello\r\n")  // 11 bytes
        for size in [1, 3, value.count] {
            XCTAssertEqual(try parseAll(chunked(value, size: size), parser: parser(bytes: 11)), [.bulk("hello")])
            XCTAssertEqual(protocolError(chunked(value, size: size), parser: parser(bytes: 10)), .valueTooLarge(limit: 10))
            XCTAssertEqual(skipError(chunked(value, size: size), parser: parser(bytes: 10)), .valueTooLarge(limit: 10))
        }
    }

    func testTheBudgetIsPerValueNotPerStream() throws {
        let values = Array(repeating: wire(":12345\r\n"), count: 100).flatMap { $0 }
        XCTAssertEqual(try parseAll(chunked(values, size: 7), parser: parser(bytes: 8)).count, 100)
    }

    func testAnEndlessLineIsRefusedOnceTheBudgetIsBuffered() {
        var p = parser(bytes: 64 << 10)
        p.append(wire("+"))
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 4096)
        var refused: RESPProtocolError?
        for _ in 0..<100 {
            p.append(chunk)
            do { _ = try p.next() } catch { refused = error; break }
        }
        XCTAssertEqual(refused, .valueTooLarge(limit: 64 << 10))
        XCTAssertLessThanOrEqual(p.bufferedByteCount, (64 << 10) + 4096)
    }

    func testAHugeDeclaredCountIsRefusedAtItsHeader() {
        for header in ["*2147483647\r\n", "%1073741823\r\n", "~100\r\n", ">100\r\n", "|50\r\n"] {
            XCTAssertEqual(protocolError([wire(header)], parser: parser(elements: 64)), .tooManyElements(limit: 64), header)
            XCTAssertEqual(skipError([wire(header)], parser: parser(elements: 64)), .tooManyElements(limit: 64), header)
        }
    }

    func testElementsAreCountedAcrossNestingAsTheScannerCountsThem() throws {
        // 1 + 2 + 2 + 2 = 7 values: an array of two arrays of two integers each.
        let nested = wire("*2\r\n*2\r\n:1\r\n:2\r\n*2\r\n:3\r\n:4\r\n")
        for size in [1, 2, nested.count] {
            XCTAssertEqual(try parseAll(chunked(nested, size: size), parser: parser(elements: 7)).count, 1)
            XCTAssertEqual(protocolError(chunked(nested, size: size), parser: parser(elements: 6)), .tooManyElements(limit: 6))
            XCTAssertEqual(skipError(chunked(nested, size: size), parser: parser(elements: 6)), .tooManyElements(limit: 6))
        }
        // A map's pair counts twice, an attribute's annotated value once.
        let attributed = wire("|1\r\n+k\r\n+v\r\n%1\r\n+a\r\n:1\r\n")  // 1 + 2 + 1 + 2 = 6
        XCTAssertEqual(try parseAll([attributed], parser: parser(elements: 6)).count, 1)
        XCTAssertEqual(protocolError([attributed], parser: parser(elements: 5)), .tooManyElements(limit: 5))
        XCTAssertEqual(skipError(chunked(attributed, size: 1), parser: parser(elements: 5)), .tooManyElements(limit: 5))
    }

    func testAnErrorPastTheBudgetIsReportedAsTheBudgetWhateverTheChunking() {
        // An invalid integer at byte 60 of a value whose budget is 50: the budget decides.
        let value = wire("*20\r\n" + String(repeating: ":1\r\n", count: 14) + ":x\r\n")
        for size in [1, 7, value.count] {
            XCTAssertEqual(protocolError(chunked(value, size: size), parser: parser(bytes: 50)), .valueTooLarge(limit: 50))
        }
    }

    func testDescriptionsHaveOneLead() {
        XCTAssertEqual(RESPProtocolError.valueTooLarge(limit: 10).description,
                       "protocol error: reply larger than the 10-byte budget for this command")
        XCTAssertEqual(RESPProtocolError.invalidInteger.reason, "invalid integer reply")
    }

    func testQuantityAcceptsOnlyPlausibleCounts() {
        XCTAssertEqual(RESPValue.integer(3).quantity, 3)
        XCTAssertEqual(RESPValue.bulk("42").quantity, 42)
        XCTAssertNil(RESPValue.integer(-1).quantity)
        XCTAssertNil(RESPValue.integer(.max).quantity)
        XCTAssertEqual(RESPValue.integer(RESPValue.maxQuantity).quantity, RESPValue.maxQuantity)
        XCTAssertNil(RESPValue.bulk("x").quantity)
    }

    func testSaturatingArithmetic() {
        XCTAssertEqual(Int64.max.saturatingAdd(1), .max)
        XCTAssertEqual(Int64.min.saturatingAdd(-1), .min)
        XCTAssertEqual(Int64(40).saturatingAdd(2), 42)
        XCTAssertEqual(Int64(saturating: 1e300), .max)
        XCTAssertEqual(Int(saturating: -Double.infinity), .min)
        XCTAssertEqual(Int(saturating: .nan), 0)
        XCTAssertEqual(Int(saturating: 2.9), 2)
        XCTAssertEqual(Int64.max.saturatingSubtract(Int64.min), .max)
        XCTAssertEqual(Int64.min.saturatingSubtract(1), .min)
        XCTAssertEqual(Int64(0).saturatingSubtract(.min), .max)
        XCTAssertEqual(Int64(44).saturatingSubtract(2), 42)
    }

    /// Inputs that once failed the codec fuzz target (Tests/Fuzz/regressions/codec), replayed
    /// with the target's checks: same values whole and byte by byte, skip agrees.
    func testFuzzRegressionInputs() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fuzz/regressions/codec").standardized
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in files where !name.hasPrefix(".") {
            let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
            let whole = protocolError([bytes])
            XCTAssertEqual(protocolError(chunked(bytes, size: 1)), whole, name)
            XCTAssertEqual(skipError([bytes]), whole, name)
        }
    }
}
