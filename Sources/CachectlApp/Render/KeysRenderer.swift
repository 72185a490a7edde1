import CacheOps
import CLI

/// Output of `keys list|stats|audit`: lines, tables and JSON.
enum KeysRenderer {
    enum ListFormat { case text, null, json }

    struct Columns {
        var ttl: Bool
        var size: Bool
    }

    /// One page of `keys list` as the bytes to write.
    static func listPage(_ entries: [KeyEntry], format: ListFormat, columns: Columns) -> [UInt8] {
        var out: [UInt8] = []
        for entry in entries {
            switch format {
            case .null:
                out += entry.key
                out.append(0)
            case .text:
                var line = quotedKey(entry.key)
                if columns.ttl { line += "\t" + ttlText(entry.expiry) }
                if columns.size { line += "\t" + (entry.sizeBytes.map { formatBytes(Int($0)) } ?? "-") }
                out += Array(line.utf8)
                out.append(0x0A)
            case .json:
                var fields = jsonKeyFields(entry.key)
                if columns.ttl { fields.append(("ttlMs", ttlJSON(entry.expiry))) }
                if columns.size { fields.append(("sizeBytes", entry.sizeBytes.map { .int($0) } ?? .null)) }
                out += Array(JSONValue.object(fields).serialized().utf8)
                out.append(0x0A)
            }
        }
        return out
    }

    static func ttlText(_ expiry: KeyExpiry?) -> String {
        switch expiry {
        case .never?: return "none"
        case .inMilliseconds(let ms)?: return formatDuration(.milliseconds(ms))
        case nil: return "-"
        }
    }

    static func ttlJSON(_ expiry: KeyExpiry?) -> JSONValue {
        if case .inMilliseconds(let ms)? = expiry { return .int(ms) }
        return .null
    }

    // MARK: stats

    static func statsTable(_ report: KeyStatsReport) -> String {
        var table = TextTable(columns: [
            .init("NAMESPACE"), .init("KEYS", alignment: .right), .init("MEMORY", alignment: .right),
            .init("NO TTL", alignment: .right), .init("TTL MIN", alignment: .right),
            .init("TTL AVG", alignment: .right), .init("TTL MAX", alignment: .right),
        ])
        for ns in report.namespaces {
            let memory = ns.sampledKeys == 0 ? (report.outcome.unavailable.isEmpty ? "-" : "n/a") : (ns.memoryIsEstimated ? "~" : "") + formatBytes(Int(ns.memoryBytes))
            table.addRow([quotedKey(Array(ns.namespace.utf8)), "\(ns.keys)", memory, "\(ns.withoutTTL)",
                          ttl(ns.minTTLMs), ttl(ns.averageTTLMs), ttl(ns.maxTTLMs)])
        }
        var text = table.render()
        text += "\(report.totalKeys) key\(report.totalKeys == 1 ? "" : "s") in \(report.namespaces.count) namespace\(report.namespaces.count == 1 ? "" : "s")"
        if report.namespaces.contains(where: \.memoryIsEstimated) { text += "; ~ memory extrapolated from a sample" }
        return text + "\n"
    }

    private static func ttl(_ ms: Int64?) -> String {
        ms.map { formatDuration(.milliseconds($0)) } ?? "-"
    }

    static func statsJSON(_ report: KeyStatsReport) -> JSONValue {
        .object([
            ("totalKeys", .int(Int64(report.totalKeys))),
            ("complete", .bool(report.outcome.complete)),
            ("namespaces", .array(report.namespaces.map { ns in
                .object([
                    ("namespace", .string(ns.namespace)),
                    ("keys", .int(Int64(ns.keys))),
                    ("memoryBytes", ns.sampledKeys == 0 && !report.outcome.unavailable.isEmpty ? .null : .int(ns.memoryBytes)),
                    ("memoryEstimated", .bool(ns.memoryIsEstimated)),
                    ("sampledKeys", .int(Int64(ns.sampledKeys))),
                    ("withoutTtl", .int(Int64(ns.withoutTTL))),
                    ("ttlMs", ns.withTTL == 0 ? .null : .object([
                        ("min", ns.minTTLMs.map { .int($0) } ?? .null),
                        ("avg", ns.averageTTLMs.map { .int($0) } ?? .null),
                        ("max", ns.maxTTLMs.map { .int($0) } ?? .null),
                    ])),
                ])
            })),
            ("unreadable", .int(Int64(report.outcome.unreadable))),
            ("warnings", .array(UnavailableRenderer.warnings(report.outcome).map { .string($0) })),
            ("unavailable", UnavailableRenderer.json(report.outcome.unavailable)),
        ])
    }

    // MARK: audit

    static func findings(_ findings: [AuditFinding], json: Bool, maxSize: Int64) -> String {
        var out = ""
        for f in findings {
            if json {
                var fields: [(String, JSONValue)] = [("kind", "finding"), ("rule", .string(f.rule.rawValue))]
                fields += jsonKeyFields(f.key)
                if let size = f.sizeBytes { fields.append(("sizeBytes", .int(size))) }
                if let ttl = f.ttlMs { fields.append(("ttlMs", .int(ttl))) }
                out += JSONValue.object(fields).serialized() + "\n"
            } else {
                var line = f.rule.rawValue.padding(to: 18) + quotedKey(f.key)
                if let size = f.sizeBytes { line += "  (\(formatBytes(Int(size))) > \(formatBytes(Int(maxSize))))" }
                if let ttl = f.ttlMs { line += "  (TTL \(formatDuration(.milliseconds(ttl))))" }
                out += line + "\n"
            }
        }
        return out
    }

    /// One line per key shape with findings, for when one line per key would be too many.
    static func auditNamespaces(_ s: AuditSummary) -> String {
        let rules = AuditRule.allCases.filter { s.findings[$0] != nil }
        var table = TextTable(alignments: [.left, .right] + rules.map { _ in .right } + [.left])
        table.addRow(["NAMESPACE", "KEYS"] + rules.map { $0.rawValue.uppercased() } + ["EXAMPLE"])
        for ns in s.namespaces {
            table.addRow([ns.namespace, "\(ns.tally.keys)"] + rules.map { "\(ns.tally.findings[$0] ?? 0)" }
                         + [ns.tally.example.map(quotedKey) ?? ""])
        }
        return table.render()
    }

    static func auditSummary(_ s: AuditSummary) -> String {
        var text = "audit: \(s.keysChecked) key\(s.keysChecked == 1 ? "" : "s") checked"
        if s.keysAllowed > 0 { text += " (\(s.keysAllowed) allowed by --allow)" }
        if s.clean { return text + ", clean" }
        let parts = AuditRule.allCases.compactMap { rule in s.findings[rule].map { "\($0) \(rule.rawValue)" } }
        text += ", \(s.totalFindings) finding\(s.totalFindings == 1 ? "" : "s") in \(s.keysWithFindings) key"
        text += (s.keysWithFindings == 1 ? "" : "s") + ": " + parts.joined(separator: ", ")
        return text
    }

    static func auditSummaryJSON(_ s: AuditSummary) -> JSONValue {
        .object([
            ("kind", "summary"),
            ("clean", .bool(s.clean)),
            ("keysChecked", .int(Int64(s.keysChecked))),
            ("keysWithFindings", .int(Int64(s.keysWithFindings))),
            ("keysAllowed", .int(Int64(s.keysAllowed))),
            ("findings", .object(AuditRule.allCases.map { ($0.rawValue, .int(Int64(s.findings[$0] ?? 0))) })),
            ("namespaces", .array(s.namespaces.map { ns in
                .object([("namespace", .string(ns.namespace)), ("keys", .int(Int64(ns.tally.keys))),
                         ("findings", .object(AuditRule.allCases.compactMap { r in ns.tally.findings[r].map { (r.rawValue, .int(Int64($0))) } })),
                         ("example", ns.tally.example.map(jsonKeyString) ?? .null)])
            })),
            ("complete", .bool(s.outcome.complete)),
            ("sizeChecked", .bool(s.outcome.unavailable.isEmpty)),
            ("unreadable", .int(Int64(s.outcome.unreadable))),
            ("warnings", .array(UnavailableRenderer.warnings(s.outcome).map { .string($0) })),
            ("unavailable", UnavailableRenderer.json(s.outcome.unavailable)),
        ])
    }
}

extension String {
    /// Left-aligned in `width` columns, with at least one space after.
    func padding(to width: Int) -> String {
        self + String(repeating: " ", count: max(1, width - count))
    }
}
