import RESP

/// INFO replication, typed: who this server follows or who follows it, and how far behind.
public struct ReplicationDetail: Sendable, Equatable {
    /// master or slave.
    public var role: String
    /// The primary's `host:port`, on a replica.
    public var primary: String?
    /// `up` or `down`, on a replica.
    public var linkStatus: String?
    /// Seconds since the primary was last heard from (-1 while the link is down).
    public var lastIOSecondsAgo: Int64?
    public var linkDownSinceSeconds: Int64?
    public var syncInProgress: Bool?
    /// `master_repl_offset`: how far this server's replication stream has come.
    public var offset: Int64?
    public var connectedReplicas: Int64?
    public var replicas: [Replica]

    public struct Replica: Sendable, Equatable {
        public var address: String
        public var state: String
        public var offset: Int64
        /// Seconds since the replica last acknowledged.
        public var lagSeconds: Int64?
        /// Bytes of the stream it has not acknowledged yet.
        public var bytesBehind: Int64?
    }

    /// nil when INFO replication was not readable.
    public init?(_ info: ServerInfo) {
        guard let role = info["role"] else { return nil }
        self.role = role
        if let host = info["master_host"], let port = info["master_port"] {
            primary = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        }
        linkStatus = info["master_link_status"]
        lastIOSecondsAgo = info.int("master_last_io_seconds_ago")
        linkDownSinceSeconds = info.int("master_link_down_since_seconds").flatMap { $0 >= 0 ? $0 : nil }
        syncInProgress = info["master_sync_in_progress"].map { $0 == "1" }
        offset = info.int("master_repl_offset")
        connectedReplicas = info.int("connected_slaves")
        replicas = []
        // The count is the server's word: a negative one must not trap the range, nor an
        // absurd one loop for ages; a line that is not there ends the list.
        for index in 0..<Int(min(max(0, connectedReplicas ?? 0), Self.maxReplicaLines)) {
            // slave0:ip=127.0.0.1,port=6380,state=online,offset=1234,lag=0
            guard let line = info["slave\(index)"] else { break }
            var parts: [Substring: Substring] = [:]
            for item in line.split(separator: ",") {
                let kv = item.split(separator: "=", maxSplits: 1)
                if kv.count == 2 { parts[kv[0]] = kv[1] }
            }
            let ip = parts["ip"].map(String.init) ?? "?"
            let port = parts["port"].map(String.init) ?? "?"
            let replicaOffset = parts["offset"].flatMap { Int64($0) } ?? 0
            replicas.append(Replica(address: ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)",
                                    state: parts["state"].map(String.init) ?? "?", offset: replicaOffset,
                                    lagSeconds: parts["lag"].flatMap { Int64($0) },
                                    bytesBehind: offset.map { max(0, $0.saturatingSubtract(replicaOffset)) }))
        }
    }

    /// More replica lines than any real primary has; past it INFO is not believed.
    static let maxReplicaLines: Int64 = 10_000

    public var isReplica: Bool { role == "slave" || role == "replica" }
}
