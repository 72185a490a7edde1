import RedisClient

/// The rules a cache keyspace is held to (each rule's comment quotes it).
public enum AuditRule: String, Sendable, CaseIterable {
    /// "Never cache forever": every cache key needs a TTL.
    case noTTL = "no-ttl"
    /// "Don't cache large objects (>1MB)".
    case tooLarge = "too-large"
    /// Keys must live in the application's namespaces (tenant isolation).
    case outsideNamespace = "outside-namespace"
    /// A TTL longer than `--max-ttl`: cached far longer than the data stays true.
    case ttlTooLong = "ttl-too-long"
}

public struct AuditFinding: Sendable, Equatable {
    public var rule: AuditRule
    /// Without the prefix.
    public var key: [UInt8]
    /// `MEMORY USAGE` for `too-large`.
    public var sizeBytes: Int64?
    /// The remaining TTL for `ttl-too-long`.
    public var ttlMs: Int64?
}

public struct AuditOptions: Sendable, Equatable {
    public var scan: KeyScanRequest
    /// Values above this many bytes (`MEMORY USAGE`) are findings.
    public var maxSizeBytes: Int64
    /// Allowed namespaces, as globs without the prefix; empty means any key is allowed.
    public var namespaces: [[UInt8]]
    /// Keys matching one of these globs (without the prefix) are exempt from every rule.
    public var allow: [[UInt8]] = []
    /// TTLs above this are findings (`ttl-too-long`); nil leaves the rule off.
    public var maxTTL: Duration?
    /// The rules checked; `outside-namespace` needs `namespaces`, `ttl-too-long` `maxTTL`.
    public var rules: Set<AuditRule> = Set(AuditRule.allCases)
    /// What splits keys into segments for the per-namespace summary.
    public var separator: UInt8 = UInt8(ascii: ":")

    public init(scan: KeyScanRequest, maxSizeBytes: Int64 = 1 << 20, namespaces: [[UInt8]] = []) {
        self.scan = scan
        self.maxSizeBytes = maxSizeBytes
        self.namespaces = namespaces
    }
}

/// Findings per key shape (`ShapeTree`), for the summary shown instead of one line per
/// key when findings are many.
public struct AuditTally: Sendable, Equatable, ShapePayload {
    public var keys = 0
    public var findings: [AuditRule: Int] = [:]
    /// One key of the group, without the prefix, to start looking from.
    public var example: [UInt8]?

    public init() {}

    public mutating func merge(_ other: AuditTally) {
        keys += other.keys
        for (rule, n) in other.findings { findings[rule, default: 0] += n }
        if example == nil { example = other.example }
    }
}

public struct AuditNamespace: Sendable, Equatable {
    public var namespace: String
    public var tally: AuditTally
}

public struct AuditSummary: Sendable, Equatable {
    public var keysChecked = 0
    public var keysWithFindings = 0
    public var findings: [AuditRule: Int] = [:]
    public var outcome = KeyScanOutcome(keys: 0, complete: false, fractionVisited: 0)
    /// Keys exempted by `allow`.
    public var keysAllowed = 0
    /// Keys with findings grouped by shape, most findings first.
    public var namespaces: [AuditNamespace] = []

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
        let rules = options.rules
        if rules.contains(.noTTL) && entry.expiry == .never && !LockKeys.isFenceCounter(prefix + entry.key, prefix: prefix) {
            found.append(AuditFinding(rule: .noTTL, key: entry.key))
        }
        if rules.contains(.tooLarge), let size = entry.sizeBytes, size > options.maxSizeBytes {
            found.append(AuditFinding(rule: .tooLarge, key: entry.key, sizeBytes: size))
        }
        if rules.contains(.outsideNamespace) && !namespaces.isEmpty && !namespaces.contains(where: { $0.matches(entry.key) }) {
            found.append(AuditFinding(rule: .outsideNamespace, key: entry.key))
        }
        if rules.contains(.ttlTooLong), let max = options.maxTTL, case .inMilliseconds(let ms)? = entry.expiry,
           ms > wholeMilliseconds(max) {
            found.append(AuditFinding(rule: .ttlTooLong, key: entry.key, ttlMs: ms))
        }
        return found
    }

    /// - Parameter finding: receives the findings as they are found; returns false to stop.
    public static func run(on connection: RoutedClient, scope: KeyScope, options: AuditOptions,
                           shouldStop: () -> Bool = { false },
                           finding: ([AuditFinding]) -> Bool) throws(RedisError) -> AuditSummary {
        // Namespaces are matched against keys without the prefix, as the user wrote them.
        let namespaces = options.namespaces.map(GlobPattern.init)
        let allowed = options.allow.map(GlobPattern.init)
        let sizes = options.rules.contains(.tooLarge)
        var summary = AuditSummary()
        var tree = ShapeTree<AuditTally>(separator: options.separator)
        summary.outcome = try KeyScanner.walk(on: connection, scope: scope, request: options.scan,
                                              details: { key in
                                                  // An allowed key costs no MEMORY USAGE.
                                                  let exempt = !allowed.isEmpty && allowed.contains { $0.matches(scope.strip(key)) }
                                                  return KeyDetailRequest(expiry: !exempt, size: sizes && !exempt)
                                              },
                                              shouldStop: shouldStop) { entries, _ in
            var page: [AuditFinding] = []
            for entry in entries {
                if !allowed.isEmpty && allowed.contains(where: { $0.matches(entry.key) }) {
                    summary.keysAllowed += 1
                    continue
                }
                let found = check(entry, options: options, namespaces: namespaces, prefix: scope.prefix)
                summary.keysChecked += 1
                if !found.isEmpty {
                    summary.keysWithFindings += 1
                    var tally = AuditTally()
                    tally.keys = 1
                    tally.example = entry.key
                    for f in found { tally.findings[f.rule, default: 0] += 1 }
                    tree.add(entry.key, tally)
                }
                for f in found { summary.findings[f.rule, default: 0] += 1 }
                page += found
            }
            return page.isEmpty || finding(page)
        }
        summary.namespaces = tree.shapes()
            .map { AuditNamespace(namespace: String(decoding: $0.shape, as: UTF8.self), tally: $0.payload) }
            .sorted { a, b in
                let x = a.tally.findings.values.reduce(0, +), y = b.tally.findings.values.reduce(0, +)
                return x != y ? x > y : a.namespace < b.namespace
            }
        return summary
    }
}
