/// How far a SCAN has got, read from its cursor.
///
/// Redis walks its hash table in reverse-binary order: it sets the bits above the table
/// mask, reverses the cursor, adds one and reverses back. Reversing a returned cursor
/// therefore gives a counter in the top bits, and that counter over 2^64 is the share of
/// buckets already visited (exact for a table that is not being resized, close otherwise).
/// Progress lines and the `scanned` figure of a scan cut short come from it.
public enum ScanCursor {
    public static let start: [UInt8] = [UInt8(ascii: "0")]

    /// 0 at the start, approaching 1 near the end; nil for a cursor that is not a number.
    public static func fractionVisited(_ cursor: [UInt8]) -> Double? {
        guard let value = UInt64(String(decoding: cursor, as: UTF8.self)) else { return nil }
        return Double(value.bitReversed) / 18_446_744_073_709_551_616.0
    }
}

extension UInt64 {
    var bitReversed: UInt64 {
        var v = self
        v = ((v >> 1) & 0x5555_5555_5555_5555) | ((v & 0x5555_5555_5555_5555) << 1)
        v = ((v >> 2) & 0x3333_3333_3333_3333) | ((v & 0x3333_3333_3333_3333) << 2)
        v = ((v >> 4) & 0x0F0F_0F0F_0F0F_0F0F) | ((v & 0x0F0F_0F0F_0F0F_0F0F) << 4)
        return v.byteSwapped
    }
}
