import RESP

/// Which primary serves which slots, from `CLUSTER SLOTS`.
public struct ClusterTopology: Sendable, Equatable {
    public struct Shard: Sendable, Equatable {
        public var slots: [ClosedRange<Int>]
        public var primary: Endpoint
        public var replicas: [Endpoint]
    }

    public private(set) var shards: [Shard]
    /// slot → index into `shards`; -1 for an unassigned slot.
    private var owner: [Int16]

    public init(shards: [Shard]) {
        self.shards = shards
        owner = [Int16](repeating: -1, count: KeySlot.count)
        for (i, shard) in shards.enumerated() {
            for range in shard.slots { for s in range where s >= 0 && s < KeySlot.count { owner[s] = Int16(i) } }
        }
    }

    /// Parses a `CLUSTER SLOTS` reply. Nodes that announce an empty host are reached at
    /// `defaultHost` (the address we asked), as redis-cli does.
    public static func parse(clusterSlots reply: RESPValue, defaultHost: String) throws(RedisError) -> ClusterTopology {
        guard let ranges = reply.elements else { throw .protocolViolation("CLUSTER SLOTS did not answer with an array") }
        var byPrimary: [Endpoint: Shard] = [:]
        var order: [Endpoint] = []
        for range in ranges {
            // Slots are 0...16383: anything else is no cluster's map (and would overflow counts).
            guard let parts = range.elements, parts.count >= 3, let start = parts[0].int, let end = parts[1].int,
                  start >= 0, start <= end, end < 16384 else {
                throw .protocolViolation("malformed CLUSTER SLOTS entry")
            }
            let nodes = try parts[2...].map { node throws(RedisError) -> Endpoint in
                guard let n = node.elements, n.count >= 2, let port = n[1].int else {
                    throw .protocolViolation("malformed node in CLUSTER SLOTS")
                }
                let host = n[0].string ?? ""
                return .tcp(host: host.isEmpty || host == "?" ? defaultHost : host, port: Int(port))
            }
            let primary = nodes[0]
            if byPrimary[primary] == nil {
                byPrimary[primary] = Shard(slots: [], primary: primary, replicas: Array(nodes.dropFirst()))
                order.append(primary)
            }
            byPrimary[primary]?.slots.append(Int(start)...Int(end))
        }
        return ClusterTopology(shards: order.compactMap { byPrimary[$0] })
    }

    /// The primary that serves `slot`, if any.
    public func primary(forSlot slot: Int) -> Endpoint? {
        guard slot >= 0 && slot < owner.count, owner[slot] >= 0 else { return nil }
        return shards[Int(owner[slot])].primary
    }

    public var primaries: [Endpoint] { shards.map(\.primary) }

    /// Every slot has the same primary in both maps; shard order and replica lists (which
    /// change as replicas sync or fail) do not count.
    public func sameSlotOwners(as other: ClusterTopology) -> Bool {
        (0..<KeySlot.count).allSatisfy { primary(forSlot: $0) == other.primary(forSlot: $0) }
    }

    /// Slots no primary serves: the cluster is not fully covered.
    public var uncoveredSlotCount: Int { owner.reduce(0) { $0 + ($1 < 0 ? 1 : 0) } }
}

