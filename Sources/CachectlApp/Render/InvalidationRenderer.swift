import CacheOps
import CLI
import RedisClient

/// Output of `invalidate`: the summary (table or JSON), progress lines and the events
/// published for application nodes.
enum InvalidationRenderer {
    static func table(_ s: InvalidationSummary, request: InvalidationRequest) -> String {
        var rows: [[String]] = []
        let sources = describeSources(request, summary: s)
        if s.dryRun {
            rows.append(["dry run", "nothing was deleted"])
            let count = s.existing ?? s.matched
            rows.append(["would delete", "\(count) key\(count == 1 ? "" : "s") (\(sources))"])
        } else {
            rows.append(["deleted", "\(s.unconfirmed > 0 ? "at least " : "")\(s.deleted) key\(s.deleted == 1 ? "" : "s") (\(sources))"])
            if s.unconfirmed > 0 {
                rows.append(["unconfirmed", "\(s.unconfirmed) key\(s.unconfirmed == 1 ? "" : "s") sent for deletion; the connection broke before their replies"])
            }
        }
        rows.append(["scanned", "\(s.scanned)"])
        rows.append(["matched", "\(s.matched)"])
        if let existing = s.existing { rows.append(["existing", "\(existing)"]) }
        if s.tagSetsDeleted > 0 || s.tagSetsKept > 0 {
            var sets: [String] = []
            if s.tagSetsDeleted > 0 { sets.append("\(s.tagSetsDeleted) deleted (emptied)") }
            if s.tagSetsKept > 0 { sets.append("\(s.tagSetsKept) kept, listing members not handled (added meanwhile, or past the stop)") }
            rows.append(["tag sets", sets.joined(separator: ", ")])
        }
        rows.append(["elapsed", formatDuration(s.elapsed)])
        rows.append(["rate", "\(Int(saturating: s.keysPerSecond.rounded())) keys/s"])
        if s.batchSize > 0 { rows.append(["pacing", pacing(s, request: request)]) }
        if s.pauses > 0 { rows.append(["paused", "\(s.pauses) time\(s.pauses == 1 ? "" : "s"), \(formatDuration(s.paused))"]) }
        if let stopped = RunSummaryTable.stopRow(s.stop, failure: s.failure.map { advice($0).stopped }) { rows.append(stopped) }
        return RunSummaryTable.render(rows, sample: s.dryRun ? s.sample : nil, of: s.matched)
    }

    /// `batch 1000 (smallest 64), count 1000, 2 in flight (adaptive)`
    private static func pacing(_ s: InvalidationSummary, request: InvalidationRequest) -> String {
        var text = "batch \(s.batchSize)"
        if let smallest = s.smallestBatch, smallest < s.batchSize { text += " (smallest \(smallest))" }
        text += ", count \(s.scanCount), \(s.inFlight) in flight"
        if request.unthrottled { return text + " (--no-throttle)" }
        if request.scanCount != nil && request.batchSize != nil { return text + " (fixed)" }
        return text + (s.pacingBlind ? " (adaptive, but INFO was refused: gentle sizes throughout)" : " (adaptive)")
    }

    private static func describeSources(_ request: InvalidationRequest, summary s: InvalidationSummary) -> String {
        var parts: [String] = []
        if !request.patterns.isEmpty { parts.append("matching " + request.patterns.map(quotedKey).joined(separator: " ")) }
        if s.keysProcessed > 0 { parts.append("\(s.keysProcessed) named") }
        if !request.tags.isEmpty { parts.append("tagged " + request.tags.map(quotedKey).joined(separator: " ")) }
        return parts.joined(separator: ", ")
    }

    static func json(_ s: InvalidationSummary, request: InvalidationRequest, failure: Failure? = nil,
                     exitCode: ExitCode = .success) -> JSONValue {
        func count(_ n: Int) -> JSONValue { .int(Int64(n)) }
        var fields: [(String, JSONValue)] = []
        fields.append(("dryRun", .bool(s.dryRun)))
        fields.append(("patterns", .array(request.patterns.map(jsonKeyString))))
        fields.append(("tags", .array(request.tags.map(jsonKeyString))))
        fields.append(("keysNamed", count(s.keysProcessed)))
        fields.append(("scanned", count(s.scanned)))
        fields.append(("matched", count(s.matched)))
        fields.append(("deleted", count(s.deleted)))
        // Keys sent whose replies never came: `deleted` is then a lower bound.
        fields.append(("deletedUnconfirmed", count(s.unconfirmed)))
        if let existing = s.existing { fields.append(("existing", count(existing))) }
        fields.append(("tagSetsDeleted", count(s.tagSetsDeleted)))
        fields.append(("tagSetsKept", count(s.tagSetsKept)))
        fields.append(("elapsedMs", .double((s.elapsedMs * 10).rounded() / 10)))
        fields.append(("keysPerSecond", count(Int(saturating: s.keysPerSecond.rounded()))))
        fields.append(("command", s.dryRun ? .null : .string(s.deleteCommand)))
        fields.append(("pacing", .object([
            ("scanCount", count(s.scanCount)), ("batchSize", count(s.batchSize)),
            ("smallestBatch", count(s.smallestBatch ?? s.batchSize)), ("inFlight", count(s.inFlight)),
            ("mode", .string(request.unthrottled ? "unthrottled" : request.scanCount != nil && request.batchSize != nil ? "fixed"
                : s.pacingBlind ? "blind" : "adaptive")),
        ])))
        fields.append(("pauses", count(s.pauses)))
        fields.append(("pausedMs", count(Int(saturating: s.pausedMs.rounded()))))
        fields.append(("stopped", RunSummaryTable.stopJSON(s.stop, failed: s.failure != nil)))
        fields += FailureJSON.outcome(failure, exitCode: exitCode)
        if s.dryRun { fields.append(("sample", .array(s.sample.map(jsonKeyString)))) }
        return .object(fields)
    }

    /// What an error stop means: a rerun finishes the job only when the server was out of
    /// reach; a wrong type, a replica or a permission needs a change first, which the
    /// hint names.
    static func advice(_ error: RedisError) -> (stopped: String, hint: String?, rerunHelps: Bool) {
        switch error {
        case .permissionDenied:
            return ("refused by the server's ACL (NOPERM); a rerun will not help",
                    "grant the ACL user the command the error names, or connect as a user that may delete these keys", false)
        case .server(let text) where text.hasPrefix("WRONGTYPE"):
            return ("a tag's key is not a set (WRONGTYPE); a rerun will not help",
                    "point --tag-key at the tag sets ('tags:{tag}'), or remove the key that is not a set", false)
        case .server(let text) where text.hasPrefix("READONLY"):
            return ("the server is a read-only replica (READONLY); a rerun will not help",
                    "connect to the primary (INFO replication names it as master_host)", false)
        case .server, .protocolViolation, .invalidConfiguration, .authenticationFailed, .tlsVerificationFailed, .io:
            return ("error; fix its cause, then rerun to finish", nil, false)
        case .hostNotFound, .connectionRefused, .connectionFailed, .connectionLost, .timeout, .tlsHandshakeFailed:
            return ("error; rerun to finish", nil, true)
        }
    }

    /// One event per kind of source, in the shape application nodes already receive on
    /// their invalidation channel (their `publishCacheInvalidation({ keys: [...] })` and
    /// `invalidatePattern('dash:*')`), with the count deleted. Patterns, keys and tags
    /// appear as the application knows them: without the prefix.
    static func events(_ s: InvalidationSummary, request: InvalidationRequest, named: NamedKeys) -> [JSONValue] {
        var events: [JSONValue] = []
        if !request.patterns.isEmpty {
            events.append(["type": "pattern", "patterns": .array(request.patterns.map(jsonKeyString)),
                           "deleted": .int(Int64(s.deletedByPattern))])
        }
        if s.keysProcessed > 0 {
            events.append(["type": "keys", "keys": .array(named.prefix(s.keysProcessed).map(jsonKeyString)),
                           "deleted": .int(Int64(s.deletedByKey))])
        }
        if !request.tags.isEmpty {
            events.append(["type": "tag", "tags": .array(request.tags.map(jsonKeyString)),
                           "deleted": .int(Int64(s.deletedByTag))])
        }
        return events
    }

    /// `invalidating 'dash:*' 42% · matched 420000 · deleted 419000 · 310000 keys/s`
    static func progress(_ p: InvalidationProgress) -> String {
        let s = p.summary
        var text = s.dryRun ? "counting" : "invalidating"
        if let source = p.source { text += " '\(quotedKey(source))'" }
        if let f = p.fractionDone { text += " \(formatFixed(f * 100, decimals: 0))%" }
        text += " · matched \(s.matched)"
        if !s.dryRun { text += " · deleted \(s.deleted)" }
        text += " · \(Int(saturating: s.keysPerSecond.rounded())) keys/s"
        if s.batchSize > 0 { text += " · batch \(s.batchSize) ×\(s.inFlight)" }
        if s.pauses > 0 { text += " · \(s.pauses) pauses" }
        return text
    }
}
