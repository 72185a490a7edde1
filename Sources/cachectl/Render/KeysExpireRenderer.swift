import CacheOps
import CLI

/// `keys expire`: the summary (table or JSON) and progress lines.
enum KeysExpireRenderer {
    static func table(_ s: ExpireSummary, pattern: [UInt8], ttl: Duration) -> String {
        var rows: [[String]] = []
        func keys(_ n: Int) -> String { "\(n) key\(n == 1 ? "" : "s")" }
        if s.dryRun {
            rows.append(["dry run", "nothing was changed"])
            rows.append(["would update", "\(keys(s.updated)) matching '\(quotedKey(pattern))' to a TTL of \(formatDuration(ttl))"])
        } else {
            rows.append(["updated", "\(keys(s.updated)) matching '\(quotedKey(pattern))' to a TTL of \(formatDuration(ttl))"])
        }
        rows.append(["matched", "\(s.matched)"])
        rows.append(["kept", "\(s.kept) (had a TTL)"])
        if !s.dryRun { rows.append(["vanished", "\(s.vanished)"]) }
        if !s.dryRun { rows.append(["method", s.method]) }
        rows.append(["elapsed", formatDuration(s.elapsed)])
        if s.pauses > 0 { rows.append(["paused", "\(s.pauses) time\(s.pauses == 1 ? "" : "s"), \(formatDuration(s.paused)) (--max-latency-ms)"]) }
        switch s.stop {
        case .requested?: rows.append(["stopped", "interrupted; rerun to finish"])
        case .limit?: rows.append(["stopped", "--limit reached"])
        case nil: if s.failure != nil { rows.append(["stopped", "error; rerun to finish"]) }
        }
        var table = TextTable(alignments: [.left, .left])
        for row in rows { table.addRow(row) }
        var text = table.render()
        if s.dryRun && !s.sample.isEmpty {
            text += "sample (\(s.sample.count) of \(s.updated)):\n"
            for key in s.sample { text += "  " + quotedKey(key) + "\n" }
        }
        return text
    }

    static func json(_ s: ExpireSummary, pattern: [UInt8], ttl: Duration) -> JSONValue {
        func count(_ n: Int) -> JSONValue { .int(Int64(n)) }
        var fields: [(String, JSONValue)] = [
            ("dryRun", .bool(s.dryRun)),
            ("pattern", jsonKeyString(pattern)),
            ("ttlMs", .int(wholeMilliseconds(ttl))),
            ("matched", count(s.matched)),
            ("updated", count(s.updated)),
            ("kept", count(s.kept)),
            ("vanished", count(s.vanished)),
            ("method", .string(s.method)),
            ("elapsedMs", .int(wholeMilliseconds(s.elapsed))),
            ("pauses", count(s.pauses)),
            ("stopped", s.stop.map { .string($0 == .limit ? "limit" : "interrupted") } ?? (s.failure != nil ? "error" : .null)),
        ]
        if s.dryRun { fields.append(("sample", .array(s.sample.map(jsonKeyString)))) }
        return .object(fields)
    }

    static func progress(_ s: ExpireSummary) -> String {
        "\(s.dryRun ? "counting" : "expiring") · matched \(s.matched) · updated \(s.updated) · kept \(s.kept)"
    }
}
