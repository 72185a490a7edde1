/// Word wrapping for help text.
enum TextWrapping {
    /// Wraps `text` to `width` columns. The first line starts after `firstIndent` columns
    /// already used by the caller; continuation lines get `indent` spaces. Words longer
    /// than a line are left whole rather than broken.
    static func wrap(_ text: String, width: Int, indent: Int, firstIndent: Int? = nil) -> String {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" })
        var out = ""
        var column = firstIndent ?? indent
        var lineHasWord = false
        if firstIndent == nil { out += String(repeating: " ", count: indent) }
        for word in words {
            let w = displayWidth(String(word))
            if lineHasWord && column + 1 + w > width {
                out += "\n" + String(repeating: " ", count: indent)
                column = indent
                lineHasWord = false
            }
            if lineHasWord {
                out += " "
                column += 1
            }
            out += word
            column += w
            lineHasWord = true
        }
        return out
    }

    /// Paragraphs separated by blank lines are reflowed; a paragraph whose lines start
    /// with spaces is preformatted (a sample command, a table) and kept verbatim.
    static func paragraphs(_ text: String) -> [(text: String, preformatted: Bool)] {
        var result: [(text: String, preformatted: Bool)] = []
        var current: [Substring] = []
        func flush() {
            guard !current.isEmpty else { return }
            let pre = current.allSatisfy { $0.hasPrefix(" ") }
            result.append((current.joined(separator: "\n"), pre))
            current = []
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy({ $0 == " " }) { flush() } else { current.append(line) }
        }
        flush()
        return result
    }
}
