import CacheOps
import CLI
import RedisClient

/// `cachectl keys list|stats|audit`.
enum KeysCommand {
    // MARK: list

    static func list(_ context: CommandContext) throws -> ExitCode {
        let options = context.options
        let request = try scanRequest(context, limit: options[KeysOptions.limit])
        if request.pacing?.isAdaptive == true { BatchScheduling.enter() }
        let format: KeysRenderer.ListFormat = options[KeysOptions.null] ? .null : context.output.json ? .json : .text
        let columns = KeysRenderer.Columns(ttl: options[KeysOptions.ttl], size: options[KeysOptions.size])
        if format == .null && (columns.ttl || columns.size) {
            throw context.usageError("-0 prints keys only; use --json for --ttl and --size")
        }
        if format == .null && context.output.json {
            throw context.usageError("-0 and --json are two different outputs; choose one")
        }
        let connection = try context.connectRouted()
        let scope = KeyScope(prefix: connection.config.keyPrefix)
        Signals.recordInterrupts()
        let output = context.output
        // The keys are the result: printed under --quiet too.
        var writeFailure: Failure?
        let outcome = try KeyScanner.walk(on: connection, scope: scope, request: request,
                                details: { _ in KeyDetailRequest(expiry: columns.ttl, size: columns.size) },
                                shouldStop: { Signals.pending != nil }) { entries, _ in
            guard !entries.isEmpty else { return true }
            var entries = entries
            if format == .null && entries.contains(where: { $0.key.contains(0) }) {
                // NUL ends a record: printing such a key would hand xargs two wrong keys.
                for e in entries where e.key.contains(0) {
                    output.warn("skipped \(quotedKey(e.key)): a key holding a NUL byte cannot be printed with -0")
                }
                entries.removeAll { $0.key.contains(0) }
            }
            // One write per page: a syscall per key would dominate a million-key listing.
            // False when the reader went away (`keys list | head`): it has what it wanted,
            // so the scan stops and that is success. Any other failure stops it with 74.
            do throws(Failure) {
                return try output.result(bytes: KeysRenderer.listPage(entries, format: format, columns: columns))
            } catch {
                writeFailure = error
                return false
            }
        }
        if let writeFailure { throw writeFailure }
        output.warnUnavailable(outcome)
        if let signal = Signals.pending { return Signals.exitCode(for: signal) }
        return .success
    }

    // MARK: stats

    static func stats(_ context: CommandContext) throws -> ExitCode {
        let options = context.options
        let order = StatsOrder(rawValue: options[KeysOptions.sort]) ?? .count
        let scan = try scanRequest(context, limit: nil)
        if scan.pacing?.isAdaptive == true { BatchScheduling.enter() }
        var statsOptions = KeyStatsOptions(scan: scan, depth: options[KeysOptions.depth],
                                           samplePerNamespace: options[KeysOptions.sample], order: order)
        statsOptions.separator = separator(context)
        let connection = try context.connectRouted()
        let scope = KeyScope(prefix: connection.config.keyPrefix)
        Signals.recordInterrupts()
        var progress = ProgressLine(options: options, output: context.output)
        let report = try KeyStats.run(on: connection, scope: scope, options: statsOptions,
                                      shouldStop: { Signals.pending != nil }) { keys, fraction in
            progress.update("scanning: \(formatFixed(fraction * 100, decimals: 0))% of the keyspace, \(keys) key\(keys == 1 ? "" : "s")")
        }
        progress.finish()
        let output = context.output
        output.warnUnavailable(report.outcome)
        if output.json {
            try output.result(KeysRenderer.statsJSON(report).serialized())
        } else {
            try output.report(KeysRenderer.statsTable(report))
        }
        if let signal = Signals.pending {
            output.warn("interrupted: these figures cover part of the keyspace")
            return Signals.exitCode(for: signal)
        }
        return .success
    }

    // MARK: audit

    static func audit(_ context: CommandContext) throws -> ExitCode {
        let options = context.options
        let scan = try scanRequest(context, limit: nil)
        if scan.pacing?.isAdaptive == true { BatchScheduling.enter() }
        var auditOptions = AuditOptions(scan: scan,
                                        maxSizeBytes: Int64(options[KeysOptions.maxSize]),
                                        namespaces: options[KeysOptions.namespace])
        auditOptions.allow = options[KeysOptions.allow]
        auditOptions.maxTTL = options[KeysOptions.maxTTL]
        auditOptions.rules.subtract(options[KeysOptions.skip].compactMap(AuditRule.init(rawValue:)))
        auditOptions.separator = separator(context)
        let details = options[KeysOptions.details]
        let connection = try context.connectRouted()
        let scope = KeyScope(prefix: connection.config.keyPrefix)
        Signals.recordInterrupts()
        let output = context.output
        // JSON findings are a result; text findings are a report (the exit code says 1).
        var writeFailure: Failure?
        // Text findings wait until there are more than this many; past it, one line per
        // key shape replaces them (unless --details).
        let grouping = output.json || details ? nil : Self.findingsShownOneByOne
        var held: [AuditFinding] = []
        var grouped = false
        let summary = try KeyAudit.run(on: connection, scope: scope, options: auditOptions,
                                       shouldStop: { Signals.pending != nil }) { findings in
            guard !output.quiet || output.json else { return true }
            if let grouping {
                guard !grouped else { return true }
                held += findings
                if held.count > grouping { grouped = true; held = [] }
                return true
            }
            do throws(Failure) {
                return try output.result(bytes: Array(KeysRenderer.findings(findings, json: output.json, maxSize: auditOptions.maxSizeBytes).utf8))
            } catch {
                writeFailure = error
                return false
            }
        }
        if let writeFailure { throw writeFailure }
        if !held.isEmpty {
            try output.report(KeysRenderer.findings(held, json: false, maxSize: auditOptions.maxSizeBytes))
        } else if grouped {
            try output.report(KeysRenderer.auditNamespaces(summary))
        }
        output.warnUnavailable(summary.outcome)
        if output.json {
            try output.result(KeysRenderer.auditSummaryJSON(summary).serialized())
        } else {
            try output.report(KeysRenderer.auditSummary(summary))
        }
        if let signal = Signals.pending { return Signals.exitCode(for: signal) }
        return summary.clean ? .success : .no
    }

    // MARK: Shared

    /// Findings `keys audit` prints one by one before it groups them by key shape.
    static let findingsShownOneByOne = 20

    /// `--separator`: `:` unless given.
    static func separator(_ context: CommandContext) -> UInt8 {
        context.options[KeysOptions.separator].utf8.first ?? UInt8(ascii: ":")
    }

    /// The pattern argument and the scan options every keys command and invalidate share.
    /// Throws nothing now that the table checks --count and --limit; kept throwing for callers.
    static func scanRequest(_ context: CommandContext, limit: Int?) throws -> KeyScanRequest {
        let options = context.options
        let count = options[KeysOptions.scanCount]
        var request = KeyScanRequest(pattern: context.parsed.arguments.first?.bytes ?? Array("*".utf8),
                                     type: options[KeysOptions.type].flatMap(KeyType.init(rawValue:)),
                                     count: count ?? 1000, limit: limit)
        // Without --count, SCAN walks are paced to the server's load (gentle by default).
        if count == nil { request.pacing = PacingController.Settings() }
        return request
    }
}
