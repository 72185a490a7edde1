/// A key as it should appear in line-oriented output.
///
/// Keys are bytes. A key that is printable UTF-8 and holds no newline, double quote or
/// backslash is returned as is (spaces included), so ordinary keys read naturally.
/// Anything else is quoted the way redis-cli's repr (`sdscatrepr`) does it: in double
/// quotes, with `\\ \" \n \r \t \a \b` and `\xNN` for every other control byte or invalid
/// UTF-8 byte. Valid printable non-ASCII characters such as `é` or emoji stay as they are.
/// Each output line therefore names exactly one key, and no key can forge terminal
/// control sequences.
public func quotedKey(_ bytes: [UInt8]) -> String {
    if let plain = plainKey(bytes) { return plain }
    var out = "\""
    var i = 0
    while i < bytes.count {
        let byte = bytes[i]
        switch byte {
        case UInt8(ascii: "\\"): out += "\\\\"; i += 1; continue
        case UInt8(ascii: "\""): out += "\\\""; i += 1; continue
        case 0x0A: out += "\\n"; i += 1; continue
        case 0x0D: out += "\\r"; i += 1; continue
        case 0x09: out += "\\t"; i += 1; continue
        case 0x07: out += "\\a"; i += 1; continue
        case 0x08: out += "\\b"; i += 1; continue
        default: break
        }
        if let (scalar, length) = decodeUTF8(bytes, at: i), isPrintableScalar(scalar) {
            out.unicodeScalars.append(scalar)
            i += length
        } else if let (_, length) = decodeUTF8(bytes, at: i) {
            for b in bytes[i..<(i + length)] { out += hexEscape(b) }
            i += length
        } else {
            out += hexEscape(byte)
            i += 1
        }
    }
    return out + "\""
}

/// The key as text when it needs no quoting, nil otherwise. The empty key is quoted
/// (`""`) so it does not print as a blank line.
private func plainKey(_ bytes: [UInt8]) -> String? {
    if bytes.isEmpty { return nil }
    var i = 0
    while i < bytes.count {
        guard let (scalar, length) = decodeUTF8(bytes, at: i), isPrintableScalar(scalar),
              scalar != "\"", scalar != "\\"
        else { return nil }
        i += length
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// `\xNN` with lowercase hex, as redis-cli prints it.
private func hexEscape(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef".unicodeScalars)
    var s = "\\x"
    s.unicodeScalars.append(digits[Int(byte >> 4)])
    s.unicodeScalars.append(digits[Int(byte & 0x0F)])
    return s
}
