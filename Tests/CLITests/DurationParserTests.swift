import CLI
import XCTest

final class DurationParserTests: XCTestCase {
    func parse(_ s: String) -> Duration? { try? DurationParser.parse(s) }

    func error(_ s: String) -> ValueParseError? {
        do {
            _ = try DurationParser.parse(s)
            return nil
        } catch {
            return error
        }
    }

    func testUnits() {
        XCTAssertEqual(parse("250ms"), .milliseconds(250))
        XCTAssertEqual(parse("30s"), .seconds(30))
        XCTAssertEqual(parse("5m"), .seconds(300))
        XCTAssertEqual(parse("1h"), .seconds(3600))
        XCTAssertEqual(parse("1h30m"), .seconds(5400))
        XCTAssertEqual(parse("1m30s500ms"), .milliseconds(90_500))
        XCTAssertEqual(parse("2H"), .seconds(7200), "units are case-insensitive")
        XCTAssertEqual(parse("7d"), .seconds(7 * 86_400))
        XCTAssertEqual(parse("1d12h"), .seconds(36 * 3600))
        XCTAssertEqual(parse("0.5d"), .seconds(43_200))
    }

    func testBareNumberIsSeconds() {
        XCTAssertEqual(parse("0"), .zero)
        XCTAssertEqual(parse("7"), .seconds(7))
        XCTAssertEqual(parse("1.5"), .milliseconds(1500))
    }

    func testFractions() {
        XCTAssertEqual(parse("1.5s"), .milliseconds(1500))
        XCTAssertEqual(parse("0.25s"), .milliseconds(250))
        XCTAssertEqual(parse("1.5h"), .seconds(5400))
        XCTAssertEqual(parse("0.1ms"), .microseconds(100))
        XCTAssertEqual(parse(".5s"), .milliseconds(500))
        XCTAssertEqual(parse("0.0000000001s"), .zero, "below a nanosecond is dropped")
    }

    func testZero() {
        XCTAssertEqual(parse("0s"), .zero)
        XCTAssertEqual(parse("0ms"), .zero)
    }

    func testRejections() {
        XCTAssertEqual(error(""), .empty)
        XCTAssertEqual(error("-5s"), .negative)
        XCTAssertEqual(error("5x"), .malformed)
        XCTAssertEqual(error("5w"), .malformed)
        XCTAssertEqual(error("s"), .malformed)
        XCTAssertEqual(error("1h30"), .malformed, "only a lone number may omit its unit")
        XCTAssertEqual(error("1.s"), .malformed)
        XCTAssertEqual(error(" 5s"), .malformed)
        XCTAssertEqual(error("5 s"), .malformed)
        XCTAssertEqual(error("+5s"), .malformed)
        XCTAssertEqual(error("1e3s"), .malformed)
    }

    func testOverflow() {
        XCTAssertEqual(error("9999999999999999999"), .overflow)
        XCTAssertEqual(error("3000000h"), .overflow)
        XCTAssertEqual(error("2562047h2562047h"), .overflow, "the sum overflows")
        XCTAssertEqual(parse("2562047h"), .seconds(2_562_047 * 3600), "the largest whole hours fit")
    }
}

final class SizeParserTests: XCTestCase {
    func parse(_ s: String) -> Int? { try? SizeParser.parse(s) }

    func testUnits() {
        XCTAssertEqual(parse("512"), 512)
        XCTAssertEqual(parse("0"), 0)
        XCTAssertEqual(parse("512b"), 512)
        XCTAssertEqual(parse("4kb"), 4096)
        XCTAssertEqual(parse("1mb"), 1_048_576)
        XCTAssertEqual(parse("1GB"), 1_073_741_824)
    }

    /// redis.conf's convention: the bare letter is decimal, `kb` binary; the IEC names are
    /// binary too, so every suffix has one meaning whatever its case.
    func testDecimalAndBinaryUnits() {
        XCTAssertEqual(parse("4k"), 4000)
        XCTAssertEqual(parse("1M"), 1_000_000)
        XCTAssertEqual(parse("2g"), 2_000_000_000)
        XCTAssertEqual(parse("1kib"), 1024)
        XCTAssertEqual(parse("4KiB"), 4096)
        XCTAssertEqual(parse("1MiB"), 1_048_576)
        XCTAssertEqual(parse("2gib"), 2_147_483_648)
        XCTAssertEqual(parse("1KB"), parse("1kib"))
        XCTAssertNil(parse("1ki"), "half an IEC name")
        XCTAssertNil(parse("1kbit"))
        XCTAssertNil(parse("1tib"))
    }

    /// VALUES documents every suffix the parser takes.
    func testGrammarNamesEveryUnit() throws {
        let size = try XCTUnwrap(ValueGrammar.forms.first { $0.term == "SIZE" }?.meaning)
        for unit in SizeParser.units where !unit.suffix.isEmpty {
            XCTAssertNotNil(size.range(of: "\\b\(unit.suffix)\\b", options: .regularExpression), unit.suffix)
            XCTAssertEqual(parse("1" + unit.suffix), unit.bytes)
        }
        XCTAssertTrue(size.contains("k = 1000, kb or kib = 1024"))
    }

    func testRejections() {
        XCTAssertThrowsError(try SizeParser.parse("")) { XCTAssertEqual($0 as? ValueParseError, .empty) }
        XCTAssertThrowsError(try SizeParser.parse("-1kb")) { XCTAssertEqual($0 as? ValueParseError, .negative) }
        XCTAssertThrowsError(try SizeParser.parse("1.5mb")) { XCTAssertEqual($0 as? ValueParseError, .malformed) }
        XCTAssertThrowsError(try SizeParser.parse("4tb")) { XCTAssertEqual($0 as? ValueParseError, .malformed) }
        XCTAssertThrowsError(try SizeParser.parse("kb")) { XCTAssertEqual($0 as? ValueParseError, .malformed) }
        XCTAssertThrowsError(try SizeParser.parse("4 kb")) { XCTAssertEqual($0 as? ValueParseError, .malformed) }
    }

    func testOverflow() {
        XCTAssertThrowsError(try SizeParser.parse("99999999999999999999")) {
            XCTAssertEqual($0 as? ValueParseError, .overflow)
        }
        XCTAssertThrowsError(try SizeParser.parse("9999999999999gb")) {
            XCTAssertEqual($0 as? ValueParseError, .overflow)
        }
    }
}
