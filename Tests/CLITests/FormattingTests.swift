import Foundation
import CLI
import XCTest

final class FormattingTests: XCTestCase {
    func testFormatDuration() {
        XCTAssertEqual(formatDuration(.zero), "0s")
        XCTAssertEqual(formatDuration(.nanoseconds(850)), "850ns")
        XCTAssertEqual(formatDuration(.nanoseconds(12_500)), "12.5µs")
        XCTAssertEqual(formatDuration(.microseconds(1200)), "1.2ms")
        XCTAssertEqual(formatDuration(.microseconds(1249)), "1.2ms")
        XCTAssertEqual(formatDuration(.microseconds(999_990)), "1s", "rounds up into the next unit")
        XCTAssertEqual(formatDuration(.milliseconds(250)), "250ms")
        XCTAssertEqual(formatDuration(.seconds(3)), "3s")
        XCTAssertEqual(formatDuration(.milliseconds(1500)), "1.5s")
        XCTAssertEqual(formatDuration(.seconds(303)), "5m3s")
        XCTAssertEqual(formatDuration(.seconds(300)), "5m")
        XCTAssertEqual(formatDuration(.seconds(3720)), "1h2m")
        XCTAssertEqual(formatDuration(.seconds(7200)), "2h")
        XCTAssertEqual(formatDuration(.seconds(90_000)), "25h")
        XCTAssertEqual(formatDuration(.milliseconds(-1500)), "-1.5s")
    }

    func testFormatBytesLikeRedisInfo() {
        XCTAssertEqual(formatBytes(0), "0B")
        XCTAssertEqual(formatBytes(512), "512B")
        XCTAssertEqual(formatBytes(1023), "1023B")
        XCTAssertEqual(formatBytes(1024), "1.00K")
        XCTAssertEqual(formatBytes(1536), "1.50K")
        XCTAssertEqual(formatBytes(2_202_010), "2.10M")
        XCTAssertEqual(formatBytes(1_073_741_824), "1.00G")
        XCTAssertEqual(formatBytes(3 * 1_099_511_627_776), "3.00T")
        XCTAssertEqual(formatBytes(-2048), "-2.00K")
    }

    func testFormatFixed() {
        XCTAssertEqual(formatFixed(96.154, decimals: 2), "96.15")
        XCTAssertEqual(formatFixed(0.125, decimals: 2), "0.13", "half away from zero")
        XCTAssertEqual(formatFixed(2.0, decimals: 2), "2.00")
        XCTAssertEqual(formatFixed(0.05, decimals: 1), "0.1")
        XCTAssertEqual(formatFixed(-1.005, decimals: 0), "-1")
        XCTAssertEqual(formatFixed(-0.0001, decimals: 2), "0.00", "no negative zero")
        XCTAssertEqual(formatFixed(7, decimals: 0), "7")
        XCTAssertEqual(formatFixed(.nan, decimals: 2), "nan")
        XCTAssertEqual(formatFixed(-.infinity, decimals: 2), "-inf")
    }

    func testFormatTrimmed() {
        XCTAssertEqual(formatTrimmed(1.50, maxDecimals: 2), "1.5")
        XCTAssertEqual(formatTrimmed(3.0, maxDecimals: 2), "3")
        XCTAssertEqual(formatTrimmed(120, maxDecimals: 1), "120")
        XCTAssertEqual(formatTrimmed(0.004, maxDecimals: 2), "0")
    }
}

/// Numbers a server chose reach these formatters: none may trap, and control characters
/// in server text never reach the terminal raw.
final class HostileValueFormattingTests: XCTestCase {
    func testDurationsOfCenturiesAreFormattedWithoutOverflow() {
        XCTAssertEqual(formatDuration(.milliseconds(Int64.max)), "2562047h47m")
        XCTAssertEqual(formatDuration(.seconds(Int64.max)), "2562047h47m")
        XCTAssertEqual(formatDuration(.nanoseconds(Int64.max)), "2562047h47m")
        XCTAssertEqual(formatDuration(.nanoseconds(Int64.min)), "-2562047h47m")
        XCTAssertEqual(formatDuration(.seconds(90)), "1m30s")
    }

    func testControlCharactersAreEscaped() {
        XCTAssertEqual(escapingControlCharacters("ERR \u{1B}[31mred\r\nnext\tx\u{07}\u{9B}"),
                       "ERR \\x1b[31mred\\r\\nnext\\tx\\x07\\u{9b}")
        XCTAssertEqual(escapingControlCharacters("plain é ✓"), "plain é ✓")
    }

    /// Inputs that once failed the arguments fuzz target (Tests/Fuzz/regressions/arguments):
    /// 8-byte groups as Int64 through every formatter, as the target does.
    func testFuzzRegressionInputs() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fuzz/regressions/arguments").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
        XCTAssertFalse(files.isEmpty)
        for name in files {
            let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(name)))
            let arguments = bytes.split(separator: 0, omittingEmptySubsequences: false).map { Argument(bytes: Array($0)) }
            _ = try? CommandLineParser.parse(arguments, spec: ProgramTable.spec)
            var index = 0
            while index + 8 <= bytes.count {
                let raw = bytes[index..<(index + 8)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
                let value = Int64(bitPattern: raw)
                _ = formatDuration(.nanoseconds(value))
                _ = formatDuration(.milliseconds(value))
                _ = formatDuration(.seconds(value))
                _ = formatBytes(Int(value))
                index += 8
            }
        }
    }
}
