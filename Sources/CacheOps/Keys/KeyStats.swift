import RedisClient

/// What `keys stats` reports for one namespace.
public struct NamespaceStats: Sendable, Equatable {
    public var namespace: String
    public var keys: Int = 0
    /// Keys whose `MEMORY USAGE` was measured, and their total.
    public var sampledKeys: Int = 0
    public var sampledBytes: Int64 = 0
    public var withoutTTL: Int = 0
    /// Over the keys that have a TTL.
    public var minTTLMs: Int64?
    public var maxTTLMs: Int64?
    public var ttlSumMs: Int64 = 0

    public init(namespace: String) {
        self.namespace = namespace
    }

    /// Measured when every key was sampled, extrapolated from the sample's mean otherwise.
    public var memoryBytes: Int64 {
        guard sampledKeys > 0 else { return 0 }
        if sampledKeys >= keys { return sampledBytes }
        return Int64(saturating: (Double(sampledBytes) / Double(sampledKeys) * Double(keys)).rounded())
    }

    public var memoryIsEstimated: Bool { sampledKeys < keys }

    public var withTTL: Int { keys - withoutTTL }

    public var averageTTLMs: Int64? { withTTL > 0 ? ttlSumMs / Int64(withTTL) : nil }

    mutating func add(_ entry: KeyEntry) {
        keys += 1
        if let size = entry.sizeBytes {
            sampledKeys += 1
            sampledBytes = sampledBytes.saturatingAdd(size)
        }
        switch entry.expiry {
        case .never?: withoutTTL += 1
        case .inMilliseconds(let ms)?:
            minTTLMs = min(minTTLMs ?? ms, ms)
            maxTTLMs = max(maxTTLMs ?? ms, ms)
            // Saturates: a server may report TTLs of centuries (PTTL near Int64.max).
            ttlSumMs = ttlSumMs.saturatingAdd(ms)
        case nil: break
        }
    }
}

public enum StatsOrder: String, Sendable, CaseIterable {
    case count, memory
}

public struct KeyStatsOptions: Sendable, Equatable {
    public var scan: KeyScanRequest
    public var depth: Int?
    /// `MEMORY USAGE` is measured for at most this many keys per namespace.
    public var samplePerNamespace: Int
    public var order: StatsOrder
    /// Namespaces beyond this many are counted together under `(other)`, so a keyspace
    /// without structure cannot make memory grow with its size.
    public var maxNamespaces: Int

    public init(scan: KeyScanRequest, depth: Int? = nil, samplePerNamespace: Int = 100,
                order: StatsOrder = .count, maxNamespaces: Int = 10_000) {
        self.scan = scan
        self.depth = depth
        self.samplePerNamespace = samplePerNamespace
        self.order = order
        self.maxNamespaces = maxNamespaces
    }
}

public struct KeyStatsReport: Sendable, Equatable {
    public var namespaces: [NamespaceStats]
    public var totalKeys: Int
    public var outcome: KeyScanOutcome
}

/// Running totals per namespace; kept apart from the scan so grouping and sorting are
/// tested without a server.
public struct KeyStatsAccumulator: Sendable {
    public let options: KeyStatsOptions
    private var groups: [String: NamespaceStats] = [:]
    /// Sizes asked for but not yet added, per namespace, so one page cannot overshoot the sample.
    private var requested: [String: Int] = [:]
    private var total = 0
    public static let overflowName = "(other)"

    public init(options: KeyStatsOptions) {
        self.options = options
    }

    public func namespace(of key: [UInt8]) -> String {
        let name = NamespaceShape.of(key, depth: options.depth)
        if groups[name] == nil && groups.count >= options.maxNamespaces { return Self.overflowName }
        return name
    }

    /// Every key gets its TTL; only the first `samplePerNamespace` of each namespace get a size.
    public mutating func detailsFor(_ key: [UInt8]) -> KeyDetailRequest {
        let name = namespace(of: key)
        let asked = requested[name, default: 0]
        let size = asked < options.samplePerNamespace
        if size { requested[name] = asked + 1 }
        return KeyDetailRequest(expiry: true, size: size)
    }

    public mutating func add(_ entry: KeyEntry) {
        let name = namespace(of: entry.key)
        groups[name, default: NamespaceStats(namespace: name)].add(entry)
        total += 1
    }

    public func report(outcome: KeyScanOutcome) -> KeyStatsReport {
        let sorted = groups.values.sorted { a, b in
            switch options.order {
            case .count where a.keys != b.keys: return a.keys > b.keys
            case .memory where a.memoryBytes != b.memoryBytes: return a.memoryBytes > b.memoryBytes
            default: return a.namespace < b.namespace
            }
        }
        return KeyStatsReport(namespaces: sorted, totalKeys: total, outcome: outcome)
    }
}

/// `cachectl keys stats`: namespaces with key counts, memory and TTL spread.
public enum KeyStats {
    public static func run(on connection: RoutedClient, scope: KeyScope, options: KeyStatsOptions,
                           shouldStop: () -> Bool = { false },
                           progress: (_ keys: Int, _ fractionVisited: Double) -> Void = { _, _ in })
        throws(RedisError) -> KeyStatsReport {
        var stats = KeyStatsAccumulator(options: options)
        var seen = 0
        let outcome = try KeyScanner.walk(on: connection, scope: scope, request: options.scan,
                                          details: { stats.detailsFor(scope.strip($0)) },
                                          shouldStop: shouldStop) { entries, fraction in
            for entry in entries { stats.add(entry) }
            seen += entries.count
            progress(seen, fraction)
            return true
        }
        return stats.report(outcome: outcome)
    }
}
