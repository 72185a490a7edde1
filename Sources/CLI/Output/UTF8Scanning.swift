/// Decodes one UTF-8 sequence at `index`: the scalar and its length in bytes, or nil when
/// the bytes there are not well-formed (overlong forms, surrogates, values above
/// U+10FFFF and truncated sequences are all rejected, per RFC 3629).
///
/// Key quoting needs to know exactly which bytes are invalid so it can escape those and
/// keep the valid characters around them, which a lossy `String(decoding:)` hides.
func decodeUTF8(_ bytes: [UInt8], at index: Int) -> (scalar: Unicode.Scalar, length: Int)? {
    let first = bytes[index]
    if first < 0x80 { return (Unicode.Scalar(first), 1) }
    let length: Int
    var value: UInt32
    switch first {
    case 0xC2...0xDF: length = 2; value = UInt32(first & 0x1F)
    case 0xE0...0xEF: length = 3; value = UInt32(first & 0x0F)
    case 0xF0...0xF4: length = 4; value = UInt32(first & 0x07)
    default: return nil
    }
    guard index + length <= bytes.count else { return nil }
    for offset in 1..<length {
        let byte = bytes[index + offset]
        guard byte & 0xC0 == 0x80 else { return nil }
        value = value << 6 | UInt32(byte & 0x3F)
    }
    // Shortest form only: E0 needs ≥ U+0800, F0 needs ≥ U+10000.
    if length == 3 && value < 0x800 { return nil }
    if length == 4 && (value < 0x10000 || value > 0x10FFFF) { return nil }
    guard let scalar = Unicode.Scalar(value) else { return nil }  // surrogates
    return (scalar, length)
}

/// Scalars that are valid but must not reach a terminal raw: C0/C1 controls, DEL, line
/// and paragraph separators, zero-width and bidirectional controls (which can make a key
/// look like a different one), and the byte order mark.
func isPrintableScalar(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0x00...0x1F, 0x7F...0x9F: return false
    case 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2069, 0xFEFF: return false
    default: return true
    }
}
