/// Aligned columns for human output (`keys stats`, `bench` summaries).
///
/// Width is measured in unicode scalars: exact for ASCII and most text, slightly off for
/// wide CJK or emoji, which is acceptable for a diagnostic table. Lines carry no trailing
/// spaces, so output diffs and copies cleanly.
public struct TextTable: Sendable {
    public enum Alignment: Sendable {
        case left
        case right
    }

    public struct Column: Sendable {
        public var title: String
        public var alignment: Alignment
        public init(_ title: String, alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    public var columns: [Column]
    public var showHeader: Bool
    /// Text between columns.
    public var separator: String
    public private(set) var rows: [[String]] = []

    public init(columns: [Column], showHeader: Bool = true, separator: String = "  ") {
        self.columns = columns
        self.showHeader = showHeader
        self.separator = separator
    }

    /// A table without header: one alignment per column (`key  value` listings).
    public init(alignments: [Alignment], separator: String = "  ") {
        self.init(columns: alignments.map { Column("", alignment: $0) }, showHeader: false, separator: separator)
    }

    /// Adds a row; missing cells are blank, extra cells are ignored.
    public mutating func addRow(_ cells: [String]) {
        rows.append((0..<columns.count).map { $0 < cells.count ? cells[$0] : "" })
    }

    /// Every line ends with a newline; an empty table without header renders as "".
    public func render() -> String {
        var lines = rows
        if showHeader { lines.insert(columns.map(\.title), at: 0) }
        var widths = [Int](repeating: 0, count: columns.count)
        for line in lines {
            for (i, cell) in line.enumerated() { widths[i] = max(widths[i], displayWidth(cell)) }
        }
        var out = ""
        for line in lines {
            var text = ""
            for (i, cell) in line.enumerated() {
                if i > 0 { text += separator }
                let padding = String(repeating: " ", count: widths[i] - displayWidth(cell))
                text += columns[i].alignment == .left ? cell + padding : padding + cell
            }
            while text.hasSuffix(" ") { text.removeLast() }
            out += text + "\n"
        }
        return out
    }
}

/// Columns a string occupies on a terminal, approximated by its unicode scalar count.
/// ANSI escape sequences (`ESC [ … letter`, as `Style` emits) take no room, so coloured
/// cells still line up.
public func displayWidth(_ s: String) -> Int {
    var width = 0
    var inEscape = false
    var sawBracket = false
    for scalar in s.unicodeScalars {
        if inEscape {
            if !sawBracket {
                sawBracket = true
                if scalar != "[" { inEscape = false }
            } else if scalar.value >= 0x40 && scalar.value <= 0x7E {
                inEscape = false
            }
        } else if scalar == "\u{1B}" {
            inEscape = true
            sawBracket = false
        } else {
            width += 1
        }
    }
    return width
}
