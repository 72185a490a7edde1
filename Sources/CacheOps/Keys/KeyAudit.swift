import RedisClient

/// The seeds' rules for a cache keyspace.
public enum AuditRule: String, Sendable, CaseIterable {
    /// "Never cache forever": every cache key needs a TTL.
    case noTTL = "no-ttl"
    /// "Don't cache large objects (>1MB)".
    case tooLarge = "too-large"
    /// Keys must live in the application's namespaces (tenant isolation).
    case outsideNamespace = "outside-namespace"
}

public struct AuditFinding: Sendable, Equatable {
    public var rule: AuditRule
    /// Without the prefix.
    public var key: [UInt8]
    /// `MEMORY USAGE` for `too-large`.
    public var sizeBytes: Int64?
}

public struct AuditOptions: Sendable, Equatable {
    public var scan: KeyScanRequest
    /// Values above this many bytes (`MEMORY USAGE`) are findings.
    public var maxSizeBytes: Int64
    /// Allowed namespaces, as globs without the prefix; empty means any key is allowed.
    public var namespaces: [[UInt8]]

    public init(scan: KeyScanRequest, maxSizeBytes: Int64 = 1 << 20, namespaces: [[UInt8]] = []) {
        self.scan = scan
        self.maxSizeBytes = maxSizeBytes
        self.namespaces = namespaces
    }
}

public struct AuditSummary: Sendable, Equatable {
    public var keysChecked = 0
    public var keysWithFindings = 0
    public var findings: [AuditRule: Int] = [:]
    public var outcome = KeyScanOutcome(keys: 0, complete: false, fractionVisited: 0)

    public init() {}

    public var totalFindings: Int { findings.values.reduce(0, +) }
    public var clean: Bool { totalFindings == 0 }
}

/// `cachectl keys audit`: checks each key against the rules and streams the findings.
public enum KeyAudit {
    /// The rules one key breaks, in the order of `AuditRule.allCases`.
    /// `prefix` tells cachectl's own bookkeeping keys (lock fencing counters, kept without
    /// a TTL on purpose) from the application's.
    public static func check(_ entry: KeyEntry, options: AuditOptions, namespaces: [GlobPattern],
                             prefix: [UInt8] = []) -> [AuditFinding] {
        var found: [AuditFinding] = []
        if entry.expiry == .never && !LockKeys.isFenceCounter(prefix + entry.key, prefix: prefix) {
            found.append(AuditFinding(rule: .noTTL, key: entry.key))
        }
        if let size = entry.sizeBytes, size > options.maxSizeBytes {
            found.append(AuditFinding(rule: .tooLarge, key: entry.key, sizeBytes: size))
        }
        if !namespaces.isEmpty && !namespaces.contains(where: { $0.matches(entry.key) }) {
            found.append(AuditFinding(rule: .outsideNamespace, key: entry.key))
        }
        return found
    }

    /// - Parameter finding: receives the findings as they are found; returns false to stop.
    public static func run(on connection: RoutedClient, scope: KeyScope, options: AuditOptions,
                           shouldStop: () -> Bool = { false },
                           finding: ([AuditFinding]) -> Bool) throws(RedisError) -> AuditSummary {
        // Namespaces are matched against keys without the prefix, as the user wrote them.
        let namespaces = options.namespaces.map(GlobPattern.init)
        var summary = AuditSummary()
        summary.outcome = try KeyScanner.walk(on: connection, scope: scope, request: options.scan,
                                              details: { _ in KeyDetailRequest(expiry: true, size: true) },
                                              shouldStop: shouldStop) { entries, _ in
            var page: [AuditFinding] = []
            for entry in entries {
                let found = check(entry, options: options, namespaces: namespaces, prefix: scope.prefix)
                summary.keysChecked += 1
                if !found.isEmpty { summary.keysWithFindings += 1 }
                for f in found { summary.findings[f.rule, default: 0] += 1 }
                page += found
            }
            return page.isEmpty || finding(page)
        }
        return summary
    }
}
