/// Recognises a payload that is one JSON text (RFC 8259) and returns it compacted: the
/// same tokens without the whitespace between them, so a pretty-printed event fits on
/// one NDJSON line and is embedded exactly as the publisher wrote its values (numbers
/// keep their digits; nothing is re-encoded).
enum JSONText {
    static let maxDepth = 256

    /// The compact form, or nil when `bytes` is not valid UTF-8 JSON.
    static func compacted(_ bytes: [UInt8]) -> [UInt8]? {
        guard String(validating: bytes, as: UTF8.self) != nil else { return nil }
        var reader = Reader(bytes: bytes)
        reader.skipSpace()
        guard reader.value(depth: 0) else { return nil }
        reader.skipSpace()
        return reader.index == bytes.count ? reader.out : nil
    }

    private struct Reader {
        let bytes: [UInt8]
        var index = 0
        var out: [UInt8] = []

        init(bytes: [UInt8]) {
            self.bytes = bytes
            out.reserveCapacity(bytes.count)
        }

        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while let b = peek, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { index += 1 }
        }

        mutating func take(_ b: UInt8) -> Bool {
            guard peek == b else { return false }
            out.append(b)
            index += 1
            return true
        }

        mutating func value(depth: Int) -> Bool {
            guard depth < JSONText.maxDepth, let b = peek else { return false }
            switch b {
            case UInt8(ascii: "{"): return container(close: UInt8(ascii: "}"), depth: depth, keyed: true)
            case UInt8(ascii: "["): return container(close: UInt8(ascii: "]"), depth: depth, keyed: false)
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number()
            }
        }

        mutating func container(close: UInt8, depth: Int, keyed: Bool) -> Bool {
            out.append(bytes[index])
            index += 1
            skipSpace()
            if take(close) { return true }
            while true {
                if keyed {
                    guard string() else { return false }
                    skipSpace()
                    guard take(UInt8(ascii: ":")) else { return false }
                    skipSpace()
                }
                guard value(depth: depth + 1) else { return false }
                skipSpace()
                if take(close) { return true }
                guard take(UInt8(ascii: ",")) else { return false }
                skipSpace()
            }
        }

        mutating func literal(_ word: String) -> Bool {
            for c in word.utf8 { guard take(c) else { return false } }
            return true
        }

        mutating func string() -> Bool {
            guard take(UInt8(ascii: "\"")) else { return false }
            while let b = peek {
                if b < 0x20 { return false }
                out.append(b)
                index += 1
                if b == UInt8(ascii: "\"") { return true }
                if b == UInt8(ascii: "\\") {
                    guard let e = peek else { return false }
                    out.append(e)
                    index += 1
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                         UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        continue
                    case UInt8(ascii: "u"):
                        for _ in 0..<4 {
                            guard let h = peek, Self.isHex(h) else { return false }
                            out.append(h)
                            index += 1
                        }
                    default:
                        return false
                    }
                }
            }
            return false
        }

        mutating func number() -> Bool {
            _ = take(UInt8(ascii: "-"))
            if take(UInt8(ascii: "0")) {
            } else {
                guard let d = peek, (0x31...0x39).contains(d) else { return false }
                digits()
            }
            if take(UInt8(ascii: ".")) {
                guard let d = peek, Self.isDigit(d) else { return false }
                digits()
            }
            if let e = peek, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
                out.append(e)
                index += 1
                if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
                guard let d = peek, Self.isDigit(d) else { return false }
                digits()
            }
            return true
        }

        mutating func digits() {
            while let d = peek, Self.isDigit(d) {
                out.append(d)
                index += 1
            }
        }

        static func isDigit(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) }
        static func isHex(_ b: UInt8) -> Bool {
            isDigit(b) || (0x41...0x46).contains(b) || (0x61...0x66).contains(b)
        }
    }
}
