/// Reads `512`, `4kb`, `1mb`, `1gb` (also `k`, `m`, `g`, `b`; any case) as a byte count.
///
/// 1kb = 1024 bytes, as redis.conf's memory units do; only whole numbers, as redis does.
public enum SizeParser {
    public static func parse(_ text: String) throws(ValueParseError) -> Int {
        let lower = text.lowercased()
        guard !lower.isEmpty else { throw .empty }
        if lower.hasPrefix("-") { throw .negative }
        let digits = lower.prefix(while: { $0.isASCII && $0.isNumber })
        guard !digits.isEmpty else { throw .malformed }
        let multiplier: Int
        switch lower.dropFirst(digits.count) {
        case "", "b": multiplier = 1
        case "k", "kb": multiplier = 1 << 10
        case "m", "mb": multiplier = 1 << 20
        case "g", "gb": multiplier = 1 << 30
        default: throw .malformed
        }
        guard let value = Int(digits) else { throw .overflow }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: multiplier)
        if overflow { throw .overflow }
        return bytes
    }
}
