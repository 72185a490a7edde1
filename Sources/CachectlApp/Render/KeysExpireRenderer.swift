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
        if let stopped = RunSummaryTable.stopRow(s.stop, failure: s.failure.map { _ in "error; rerun to finish" }) {
            rows.append(stopped)
        }
        return RunSummaryTable.render(rows, sample: s.dryRun ? s.sample : nil, of: s.updated)
    }

    static func json(_ s: ExpireSummary, pattern: [UInt8], ttl: Duration, failure: Failure? = nil,
                     exitCode: ExitCode = .success) -> JSONValue {
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
            ("stopped", RunSummaryTable.stopJSON(s.stop, failed: s.failure != nil)),
        ] + FailureJSON.outcome(failure, exitCode: exitCode)
        if s.dryRun { fields.append(("sample", .array(s.sample.map(jsonKeyString)))) }
        return .object(fields)
    }

    static func progress(_ s: ExpireSummary) -> String {
        "\(s.dryRun ? "counting" : "expiring") · matched \(s.matched) · updated \(s.updated) · kept \(s.kept)"
    }
}
