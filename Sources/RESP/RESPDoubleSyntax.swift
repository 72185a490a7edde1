/// The text form of RESP3 doubles.
///
/// The stdlib's `Double(_:)` does the correctly rounded conversion, but it also accepts
/// forms RESP does not (`0x1p3`, `infinity`, `nan(…)`), so the grammar is checked here
/// first: `[+-]digits[.digits][(e|E)[+-]digits]` with at least one mantissa digit, or
/// `inf`, `+inf`, `-inf`, `nan`.
enum RESPDoubleSyntax {
    static func parse(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
        if let special = special(text) { return special }
        guard isDecimal(text) else { return nil }
        // Doubles are rare in replies and short enough for a small-string String, so the
        // conversion does not allocate.
        return Double(String(decoding: text, as: UTF8.self))
    }

    private static func special(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
        if text.elementsEqual("inf".utf8) || text.elementsEqual("+inf".utf8) { return .infinity }
        if text.elementsEqual("-inf".utf8) { return -.infinity }
        if text.elementsEqual("nan".utf8) { return .nan }
        return nil
    }

    private static func isDecimal(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = text.count
        func digits() -> Int {
            let start = i
            while i < n, text[i] &- RESPByte.zero < 10 { i += 1 }
            return i - start
        }
        if i < n, text[i] == RESPByte.plus || text[i] == RESPByte.minus { i += 1 }
        var mantissa = digits()
        if i < n, text[i] == UInt8(ascii: ".") {
            i += 1
            mantissa += digits()
        }
        guard mantissa > 0 else { return false }
        if i < n, text[i] == UInt8(ascii: "e") || text[i] == UInt8(ascii: "E") {
            i += 1
            if i < n, text[i] == RESPByte.plus || text[i] == RESPByte.minus { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == n
    }
}
