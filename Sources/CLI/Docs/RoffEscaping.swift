/// Escaping for roff man(7) source, so any help text renders as written and
/// `groff -man -ww` has nothing to warn about.
enum Roff {
    /// Escapes text for a text line or a macro argument: backslash as `\e`, every
    /// hyphen-minus as `\-` (so options and commands copy-paste from the rendered page as
    /// ASCII), and non-ASCII as named glyphs or `\[uXXXX]` (groff reads input as Latin-1,
    /// so raw UTF-8 would turn into mojibake).
    static func escape(_ text: String, hyphens: Hyphens = .minus) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\e"
            case "-": out += hyphens == .minus ? "\\-" : "-"
            case "\t", "\n", "\r": out += " "
            case "\u{2014}": out += "\\(em"
            case "\u{2013}": out += "\\(en"
            case "\u{2026}": out += "..."
            case "\u{2018}": out += "\\(oq"
            case "\u{2019}": out += "\\(cq"
            case "\u{201C}": out += "\\(lq"
            case "\u{201D}": out += "\\(rq"
            case "\u{2192}": out += "\\(->"
            case "\u{2264}": out += "\\(<="
            case "\u{2265}": out += "\\(>="
            case "\u{00D7}": out += "\\(mu"
            case "\u{00B5}": out += "\\(mc"
            case "\u{00A0}": out += "\\ "
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    continue
                } else if scalar.isASCII {
                    out.unicodeScalars.append(scalar)
                } else {
                    out += "\\[u" + hex4(scalar.value) + "]"
                }
            }
        }
        return out
    }

    /// Filled running text from plain words: escaped, with `\:` break points after the
    /// commas and bars of a word too long for a line (a JSON document, a list of
    /// alternatives), which groff would otherwise let stick out past the margin.
    static func filled(_ plain: String) -> String {
        let words = plain.split(whereSeparator: { $0 == " " || $0 == "\n" })
        return words.map { word -> String in
            let escaped = escape(String(word))
            guard word.count > breakableWordLength else { return escaped }
            var out = ""
            for ch in escaped {
                out.append(ch)
                if ch == "," || ch == "|" { out += "\\:" }
            }
            return out
        }.joined(separator: " ")
    }

    /// Words up to this many characters fit a terminal line beside the deepest indent.
    static let breakableWordLength = 40

    /// One source line of running text. A leading `.` or `'` would start a request, so it
    /// is protected with the zero-width `\&`.
    static func textLine(_ escaped: String) -> String {
        if escaped.hasPrefix(".") || escaped.hasPrefix("'") { return "\\&" + escaped }
        return escaped
    }

    /// How to write `-`: `\-` (ASCII hyphen-minus, for anything typed) or plain (a
    /// typographic hyphen, for dates and prose that is never typed).
    enum Hyphens {
        case minus
        case hyphen
    }

    /// A double-quoted macro argument (`.TH`, `.SS`); `"` inside becomes `\(dq`.
    static func quoted(_ text: String, hyphens: Hyphens = .minus) -> String {
        var escaped = ""
        for ch in escape(text, hyphens: hyphens) { escaped += ch == "\"" ? "\\(dq" : String(ch) }
        return "\"" + escaped + "\""
    }

    static func bold(_ text: String) -> String { "\\fB" + escape(text) + "\\fR" }
    static func italic(_ text: String) -> String { "\\fI" + escape(text) + "\\fR" }

    /// Uppercase hex, at least four digits, as `\[uXXXX]` requires.
    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
