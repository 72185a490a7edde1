import CacheOps
import CLI

/// What the summaries of the bulk commands (`invalidate`, `keys expire`) share: how an
/// early stop reads, and the two-column table with a dry run's sample of keys below it.
enum RunSummaryTable {
    /// The `stopped` row of a run that ended early; `failure` is how an error stop reads
    /// (nil when there was no error).
    static func stopRow(_ stop: InvalidationSummary.Stop?, failure: String?) -> [String]? {
        switch stop {
        case .requested?: return ["stopped", "interrupted; rerun to finish"]
        case .limit?: return ["stopped", "--limit reached"]
        case nil: return failure.map { ["stopped", $0] }
        }
    }

    /// The JSON `stopped` field: "interrupted", "limit", "error" or null.
    static func stopJSON(_ stop: InvalidationSummary.Stop?, failed: Bool) -> JSONValue {
        switch stop {
        case .requested?: return "interrupted"
        case .limit?: return "limit"
        case nil: return failed ? "error" : .null
        }
    }

    /// `rows` as a table; then, when `sample` is given (a dry run) and not empty, its keys
    /// under `sample (N of total):`.
    static func render(_ rows: [[String]], sample: [[UInt8]]?, of total: Int) -> String {
        var table = TextTable(alignments: [.left, .left])
        for row in rows { table.addRow(row) }
        var text = table.render()
        if let sample, !sample.isEmpty {
            text += "sample (\(sample.count) of \(total)):\n"
            for key in sample { text += "  " + quotedKey(key) + "\n" }
        }
        return text
    }
}
