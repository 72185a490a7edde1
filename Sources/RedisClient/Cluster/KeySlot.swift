/// Redis Cluster's key → slot mapping: CRC16 (XMODEM) of the key, or of its hash tag
/// (the part between the first `{` and the next `}`, when not empty), modulo 16384.
public enum KeySlot {
    public static let count = 16384

    public static func slot(for key: [UInt8]) -> Int {
        Int(crc16(hashTagged(key)) % UInt16(count))
    }

    /// The bytes that decide the slot, so `{user:1}:a` and `{user:1}:b` land together.
    static func hashTagged(_ key: [UInt8]) -> ArraySlice<UInt8> {
        guard let open = key.firstIndex(of: UInt8(ascii: "{")) else { return key[...] }
        let rest = key[(open + 1)...]
        guard let close = rest.firstIndex(of: UInt8(ascii: "}")), close > open + 1 else { return key[...] }
        return key[(open + 1)..<close]
    }

    static func crc16(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        var crc: UInt16 = 0
        for b in bytes {
            crc = (crc << 8) ^ table[Int((crc >> 8) ^ UInt16(b)) & 0xFF]
        }
        return crc
    }

    private static let table: [UInt16] = (0..<256).map { i -> UInt16 in
        var c = UInt16(i) << 8
        for _ in 0..<8 { c = (c & 0x8000) != 0 ? (c << 1) ^ 0x1021 : c << 1 }
        return c
    }
}
