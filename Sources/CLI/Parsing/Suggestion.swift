/// "Did you mean …?" for mistyped commands, subcommands and options.
public enum Suggestion {
    /// The closest candidate to `input`, or nil when nothing is close enough.
    ///
    /// Case-insensitive optimal-string-alignment distance (Levenshtein plus adjacent
    /// transpositions, so `lokc` finds `lock`). The threshold grows with the input,
    /// about one edit per three characters, capped at 3, so short words do not match
    /// everything. A unique candidate that starts with the input (`--dry` → `--dry-run`)
    /// also counts, since abbreviations are not accepted but are a common habit.
    public static func best(for input: String, among candidates: [String]) -> String? {
        let needle = Array(input.lowercased().unicodeScalars)
        guard !needle.isEmpty else { return nil }
        let threshold = max(1, min(3, (needle.count + 1) / 3))
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let d = distance(needle, Array(candidate.lowercased().unicodeScalars))
            if d <= threshold, d < (best?.distance ?? .max) { best = (candidate, d) }
        }
        if let best { return best.candidate }
        let prefixed = candidates.filter { $0.lowercased().hasPrefix(input.lowercased()) }
        return prefixed.count == 1 && needle.count >= 3 ? prefixed[0] : nil
    }

    /// Optimal string alignment distance between two strings (unicode scalars).
    public static func distance(_ a: String, _ b: String) -> Int {
        distance(Array(a.unicodeScalars), Array(b.unicodeScalars))
    }

    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // Three rolling rows: the transposition step looks two rows back.
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, before[j - 2] + 1)
                }
                current[j] = value
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}
