/// Reads a byte count: `512`, `4k`, `4kb`, `4KiB`, `1mb`, `1g` (any case).
///
/// The units mean what redis.conf's memory units mean, which these users already know:
/// `k`, `m`, `g` are powers of 1000 and `kb`, `mb`, `gb` powers of 1024; the IEC names
/// `kib`, `mib`, `gib` are accepted as the binary ones too, so each suffix has one
/// meaning. Only whole numbers, as redis does. `ValueGrammar`'s SIZE documents this table.
public enum SizeParser {
    /// Every suffix and the bytes it multiplies by.
    public static let units: [(suffix: String, bytes: Int)] = [
        ("", 1), ("b", 1),
        ("k", 1_000), ("kb", 1 << 10), ("kib", 1 << 10),
        ("m", 1_000_000), ("mb", 1 << 20), ("mib", 1 << 20),
        ("g", 1_000_000_000), ("gb", 1 << 30), ("gib", 1 << 30),
    ]

    public static func parse(_ text: String) throws(ValueParseError) -> Int {
        let lower = text.lowercased()
        guard !lower.isEmpty else { throw .empty }
        if lower.hasPrefix("-") { throw .negative }
        let digits = lower.prefix(while: { $0.isASCII && $0.isNumber })
        guard !digits.isEmpty else { throw .malformed }
        let suffix = lower.dropFirst(digits.count)
        guard let multiplier = units.first(where: { $0.suffix == suffix })?.bytes else { throw .malformed }
        guard let value = Int(digits) else { throw .overflow }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: multiplier)
        if overflow { throw .overflow }
        return bytes
    }
}
