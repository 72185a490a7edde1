import RedisClient

/// What `keys stats` reports for one namespace.
public struct NamespaceStats: Sendable, Equatable, ShapePayload {
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

    public init() {
        self.namespace = ""
    }

    public mutating func merge(_ other: NamespaceStats) {
        keys += other.keys
        sampledKeys += other.sampledKeys
        sampledBytes = sampledBytes.saturatingAdd(other.sampledBytes)
        withoutTTL += other.withoutTTL
        ttlSumMs = ttlSumMs.saturatingAdd(other.ttlSumMs)
        if let m = other.minTTLMs { minTTLMs = min(minTTLMs ?? m, m) }
        if let m = other.maxTTLMs { maxTTLMs = max(maxTTLMs ?? m, m) }
    }

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
    /// What splits a key into segments: `:` (default), `/`, `.` or `_`.
    public var separator: UInt8 = UInt8(ascii: ":")
    /// `MEMORY USAGE` is measured for at most this many keys per namespace.
    public var samplePerNamespace: Int
    public var order: StatsOrder
    /// Values one parent segment may take before they are merged into `*` while scanning
    /// (`ShapeTree.maxChildren`), so a keyspace without structure cannot make memory grow
    /// with its size.
    public var maxNamespaces: Int

    public init(scan: KeyScanRequest, depth: Int? = nil, samplePerNamespace: Int = 100,
                order: StatsOrder = .count, maxNamespaces: Int = 1000) {
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

/// Running totals per key shape (`ShapeTree`); kept apart from the scan so grouping and
/// sorting are tested without a server.
public struct KeyStatsAccumulator: Sendable {
    public let options: KeyStatsOptions
    private var tree: ShapeTree<NamespaceStats>
    /// Sizes asked for per sampling bucket (the key with id-looking segments as `*`,
    /// decided per key while the shapes are still forming), at most 10000 buckets.
    private var requested: [String: Int] = [:]
    private var total = 0
    public static let overflowName = "(other)"

    public init(options: KeyStatsOptions) {
        self.options = options
        tree = ShapeTree(separator: options.separator, depth: options.depth, maxChildren: options.maxNamespaces)
    }

    /// Every key gets its TTL; only the first `samplePerNamespace` of each sampling
    /// bucket get a size.
    public mutating func detailsFor(_ key: [UInt8]) -> KeyDetailRequest {
        var name = NamespaceShape.of(key, depth: options.depth, separator: options.separator)
        if requested[name] == nil && requested.count >= 10_000 { name = Self.overflowName }
        let asked = requested[name, default: 0]
        let size = asked < options.samplePerNamespace
        if size { requested[name] = asked + 1 }
        return KeyDetailRequest(expiry: true, size: size)
    }

    public mutating func add(_ entry: KeyEntry) {
        var stats = NamespaceStats()
        stats.add(entry)
        tree.add(entry.key, stats)
        total += 1
    }

    public func report(outcome: KeyScanOutcome) -> KeyStatsReport {
        let groups = tree.shapes().map { shape, payload in
            var stats = payload
            stats.namespace = String(decoding: shape, as: UTF8.self)
            return stats
        }
        let sorted = groups.sorted { a, b in
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
