/// Reads `250ms`, `30s`, `5m`, `1h`, `1h30m`, `1.5s`, `7d`; a bare number is seconds.
///
/// Values are summed in whole nanoseconds with overflow checks, so `1.5s` is exact and a
/// huge value is reported instead of wrapping around.
public enum DurationParser {
    /// Nanoseconds per unit; longer suffixes first so `ms` is not read as `m` + junk.
    private static let units: [(suffix: [UInt8], nanoseconds: Int64)] = [
        (Array("ms".utf8), 1_000_000),
        (Array("s".utf8), 1_000_000_000),
        (Array("m".utf8), 60_000_000_000),
        (Array("h".utf8), 3_600_000_000_000),
        (Array("d".utf8), 86_400_000_000_000),
    ]

    public static func parse(_ text: String) throws(ValueParseError) -> Duration {
        let bytes = Array(text.utf8).map { ($0 >= 65 && $0 <= 90) ? $0 + 32 : $0 }
        guard !bytes.isEmpty else { throw .empty }
        if bytes[0] == UInt8(ascii: "-") { throw .negative }

        var index = 0
        var total: Int64 = 0
        var components = 0
        while index < bytes.count {
            guard let (whole, fraction, next) = number(bytes, from: index) else { throw .malformed }
            index = next
            components += 1
            let unitNanos: Int64
            if index == bytes.count && components == 1 {
                unitNanos = 1_000_000_000  // a bare number means seconds
            } else if let unit = units.first(where: { hasPrefix(bytes, $0.suffix, at: index) }) {
                unitNanos = unit.nanoseconds
                index += unit.suffix.count
            } else {
                throw .malformed
            }
            total = try add(total, scaled(whole: whole, fraction: fraction, by: unitNanos))
        }
        return .nanoseconds(total)
    }

    /// Digits with an optional `.digits`, returned as ASCII digit bytes; nil when absent.
    private static func number(_ b: [UInt8], from start: Int) -> (whole: [UInt8], fraction: [UInt8], next: Int)? {
        var i = start
        var whole: [UInt8] = []
        var fraction: [UInt8] = []
        while i < b.count, isDigit(b[i]) { whole.append(b[i]); i += 1 }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.count, isDigit(b[i]) { fraction.append(b[i]); i += 1 }
            if fraction.isEmpty { return nil }
        }
        if whole.isEmpty && fraction.isEmpty { return nil }
        return (whole, fraction, i)
    }

    private static func scaled(whole: [UInt8], fraction: [UInt8], by unit: Int64) throws(ValueParseError) -> Int64 {
        var value: Int64 = 0
        for digit in whole {
            value = try add(try multiply(value, 10), Int64(digit - 48))
        }
        value = try multiply(value, unit)
        // Each fraction digit adds digit * unit / 10^k; below a nanosecond it stops mattering.
        var divisor: Int64 = 1
        for digit in fraction {
            guard divisor < unit else { break }
            divisor *= 10
            value = try add(value, Int64(digit - 48) * unit / divisor)
        }
        return value
    }

    private static func multiply(_ a: Int64, _ b: Int64) throws(ValueParseError) -> Int64 {
        let (r, overflow) = a.multipliedReportingOverflow(by: b)
        if overflow { throw .overflow }
        return r
    }

    private static func add(_ a: Int64, _ b: Int64) throws(ValueParseError) -> Int64 {
        let (r, overflow) = a.addingReportingOverflow(b)
        if overflow { throw .overflow }
        return r
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    private static func hasPrefix(_ b: [UInt8], _ p: [UInt8], at i: Int) -> Bool {
        guard i + p.count <= b.count else { return false }
        return Array(b[i..<(i + p.count)]) == p
    }
}
