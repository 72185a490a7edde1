/// `text` safe for one line of a terminal: control characters (C0, DEL and C1, which
/// includes ESC and CSI, so no escape sequence can reach the terminal) are shown as `\n`,
/// `\r`, `\t` or `\xNN`/`\u{NN}`, and a backslash stays itself. Printable text, non-ASCII
/// letters and emoji included, is unchanged.
///
/// For diagnostics carrying text a peer chose (server error replies): errors print them
/// verbatim, and this keeps "verbatim" from meaning "able to rewrite the screen".
public func escapingControlCharacters(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: isControl) else { return text }
    var out = ""
    out.reserveCapacity(text.utf8.count + 8)
    for scalar in text.unicodeScalars {
        guard isControl(scalar) else {
            out.unicodeScalars.append(scalar)
            continue
        }
        switch scalar {
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            let hex = String(scalar.value, radix: 16)
            out += scalar.value < 0x80 ? "\\x" + (hex.count < 2 ? "0" + hex : hex) : "\\u{\(hex)}"
        }
    }
    return out
}

private func isControl(_ scalar: Unicode.Scalar) -> Bool {
    scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0)
}
