/// Text form of `JSONValue` (RFC 8259).
extension JSONValue {
    /// Compact output is one line, which NDJSON streams rely on (newlines in strings are
    /// escaped). Pretty output indents by two spaces.
    ///
    /// Doubles use Swift's shortest round-trip form, so 0.25 prints `0.25`, 96.15 prints
    /// `96.15` and 3.0 prints `3.0` (the `.0` keeps the field visibly non-integral, and
    /// JSON readers accept it); NaN and infinities, which JSON cannot express, print `null`.
    public func serialized(pretty: Bool = false) -> String {
        var out = ""
        write(to: &out, pretty: pretty, depth: 0)
        return out
    }

    private func write(to out: inout String, pretty: Bool, depth: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? d.description : "null"
        case .string(let s): writeJSONString(s, to: &out)
        case .array(let items):
            writeContainer("[", "]", items.count, to: &out, pretty: pretty, depth: depth) { i, out in
                items[i].write(to: &out, pretty: pretty, depth: depth + 1)
            }
        case .object(let members):
            writeContainer("{", "}", members.count, to: &out, pretty: pretty, depth: depth) { i, out in
                writeJSONString(members[i].0, to: &out)
                out += pretty ? ": " : ":"
                members[i].1.write(to: &out, pretty: pretty, depth: depth + 1)
            }
        }
    }

    private func writeContainer(_ open: String, _ close: String, _ count: Int, to out: inout String,
                                pretty: Bool, depth: Int, element: (Int, inout String) -> Void) {
        out += open
        guard count > 0 else { out += close; return }
        let indent = String(repeating: "  ", count: depth + 1)
        for i in 0..<count {
            if i > 0 { out += "," }
            if pretty { out += "\n" + indent }
            element(i, &out)
        }
        if pretty { out += "\n" + String(repeating: "  ", count: depth) }
        out += close
    }
}

/// A JSON string literal: quote, backslash and control characters escaped; everything
/// else, including non-ASCII, left as UTF-8.
func writeJSONString(_ s: String, to out: inout String) {
    out += "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\u{08}": out += "\\b"
        case "\u{0C}": out += "\\f"
        case "\u{00}"..."\u{1F}":
            let hex = Array("0123456789abcdef".unicodeScalars)
            out += "\\u00"
            out.unicodeScalars.append(hex[Int(scalar.value >> 4)])
            out.unicodeScalars.append(hex[Int(scalar.value & 0xF)])
        default: out.unicodeScalars.append(scalar)
        }
    }
    out += "\""
}
