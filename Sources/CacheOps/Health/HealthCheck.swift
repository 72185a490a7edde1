import RESP
import RedisClient

/// What a `health` run should look at.
public struct HealthRequest: Sendable, Equatable {
    public var samples: Int
    public var thresholds: HealthThresholds
    /// Sample INFO twice this far apart and report rates (`--interval`).
    public var interval: Duration?
    /// How many of the slow log's slowest entries to show (`--slowlog N`); 0 for none.
    public var slowlogEntries: Int
    /// The previous `--watch` sample: rates are measured from it.
    public var baseline: InfoSample?
    /// The connection set-up, timed by whoever connected.
    public var handshake: RoundTrip?

    public init(samples: Int, thresholds: HealthThresholds, interval: Duration? = nil, slowlogEntries: Int = 0,
                baseline: InfoSample? = nil, handshake: RoundTrip? = nil) {
        self.samples = samples
        self.thresholds = thresholds
        self.interval = interval
        self.slowlogEntries = slowlogEntries
        self.baseline = baseline
        self.handshake = handshake
    }
}

/// `cachectl health`. PING is the only command it cannot do without; INFO (or each of its
/// sections), SLOWLOG, CLUSTER INFO and the sentinel's view only add facts, and a refusal
/// leaves them n/a with the checks that needed them listed as unchecked.
public enum HealthCheck {
    public static func run(on connection: RedisConnection, _ request: HealthRequest,
                           shouldStop: () -> Bool = { false }) throws(RedisError) -> HealthReport {
        var timer = RoundTripTimer()
        if let handshake = request.handshake { timer.trips.append(handshake) }
        let (latency, loadingReply) = try pingLatency(connection, samples: request.samples, timer: &timer)
        var facts = OptionalFacts()
        var sample = try readInfo(connection, timer: &timer, facts: &facts)
        var baseline = request.baseline
        if let interval = request.interval, let first = sample {
            baseline = first
            if Pause.until(ContinuousClock.now + interval, shouldStop: shouldStop) {
                sample = try readInfo(connection, timer: &timer, facts: &facts) ?? first
            }
        }

        var report = HealthReport(endpoint: connection.config.endpoint, latency: latency)
        if let sample {
            fill(&report, from: sample.info)
            report.sample = sample
            if let baseline { report.rates = HealthRates(from: baseline, to: sample) }
        }
        if loadingReply { report.loading = true }
        try readSlowlog(connection, entries: request.slowlogEntries, into: &report, timer: &timer, facts: &facts)
        if let sentinel = connection.config.sentinel {
            report.sentinel = try SentinelResolver.view(connection.config, sentinel: sentinel)
        }
        let clusterEnabled: Bool
        // A sentinel's INFO has no cluster section and is no cluster: probe only when INFO
        // (or its cluster section) was refused.
        if let info = sample?.info, !facts.unavailable.contains(where: { $0.command == "INFO cluster" }) {
            clusterEnabled = info["cluster_enabled"] == "1"
        } else {
            clusterEnabled = try probeCluster(connection, timer: &timer, facts: &facts)
        }
        report.roundTrips = timer.trips
        judge(&report, request.thresholds)
        if clusterEnabled {
            try addCluster(to: &report, seed: connection, request: request, facts: &facts)
        }
        report.unavailable = facts
        if request.thresholds.strict { applyStrict(&report) }
        return report
    }

    /// Round trips of `samples` PINGs, one at a time so each measures a full round trip.
    /// A LOADING reply is still a round trip (and says the server is loading).
    static func pingLatency(_ connection: RedisConnection, samples: Int,
                            timer: inout RoundTripTimer) throws(RedisError) -> (LatencySummary, loading: Bool) {
        var millis: [Double] = []
        millis.reserveCapacity(samples)
        var loading = false
        for _ in 0..<max(1, samples) {
            let (reply, ms) = try timer.time("PING") { () throws(RedisError) in
                try connection.pipeline([[Array("PING".utf8)]])[0]
            }
            millis.append(ms)
            if let err = reply.errorBytes {
                let text = String(decoding: err, as: UTF8.self)
                guard text.hasPrefix("LOADING") else { throw RedisError.fromServerReply(text) }
                loading = true
            } else if reply.string != "PONG" {
                throw .protocolViolation("PING answered \(reply) instead of PONG")
            }
        }
        return (LatencySummary(millis: millis), loading)
    }

    /// INFO whole; when the ACL user may not run it, INFO section by section (an ACL can
    /// allow `+info|memory`), each refused section recorded on its own.
    static func readInfo(_ connection: RedisConnection, timer: inout RoundTripTimer,
                         facts: inout OptionalFacts) throws(RedisError) -> InfoSample? {
        let (reply, _) = try timer.time("INFO") { () throws(RedisError) in
            try connection.pipeline([[Array("INFO".utf8)]])[0]
        }
        guard let err = reply.errorBytes else {
            guard let text = reply.string else { throw .protocolViolation("INFO did not answer with text") }
            return InfoSample(info: ServerInfo(text), at: .now)
        }
        let error = RedisError.fromServerReply(connection.redactingSecrets(String(decoding: err, as: UTF8.self)))
        guard let refusal = error.refusal else { throw error }
        guard refusal == .noPermission else {
            facts.record("INFO", provides: "version, memory, hit rate and replication",
                         refusal: refusal, reply: error.description)
            return nil
        }
        let sections = InfoSection.allCases
        let (replies, _) = try timer.time("INFO sections") { () throws(RedisError) in
            try connection.pipeline(sections.map { [Array("INFO".utf8), Array($0.rawValue.utf8)] })
        }
        var text = ""
        var refused: [(InfoSection, CommandRefusal, String)] = []
        for (section, r) in zip(sections, replies) {
            if let e = r.errorBytes {
                let sectionError = RedisError.fromServerReply(connection.redactingSecrets(String(decoding: e, as: UTF8.self)))
                guard let why = sectionError.refusal else { throw sectionError }
                refused.append((section, why, sectionError.description))
            } else {
                text += (r.string ?? "") + "\r\n"
            }
        }
        if refused.count == sections.count {
            facts.record("INFO", provides: "version, memory, hit rate and replication",
                         refusal: refusal, reply: error.description)
            return nil
        }
        for (section, why, reply) in refused {
            facts.record("INFO \(section.rawValue)", provides: section.provides, refusal: why, reply: reply)
        }
        return InfoSample(info: ServerInfo(text), at: .now)
    }

    /// Is this a cluster node, when INFO cannot say? CLUSTER INFO answers on a cluster node
    /// and says "cluster support disabled" elsewhere; a refusal leaves it unknown (false).
    static func probeCluster(_ connection: RedisConnection, timer: inout RoundTripTimer,
                             facts: inout OptionalFacts) throws(RedisError) -> Bool {
        let (reply, _) = try timer.time("CLUSTER INFO") { () throws(RedisError) in
            try connection.pipeline([[Array("CLUSTER".utf8), Array("INFO".utf8)]])[0]
        }
        guard let err = reply.errorBytes else { return true }
        let error = RedisError.fromServerReply(connection.redactingSecrets(String(decoding: err, as: UTF8.self)))
        if let refusal = error.refusal {
            facts.record("CLUSTER INFO", provides: "cluster detection and cluster_state", refusal: refusal, reply: error.description)
            return false
        }
        if error.description.lowercased().contains("cluster support disabled") { return false }
        throw error
    }

    /// The most slow log entries read to find the slowest: SLOWLOG GET answers the most
    /// recent first and has no offset, so the slowest N can only be found by reading the
    /// log whole. Logs are 128 entries by default (slowlog-max-len); this bound keeps the
    /// reply within its budget (see `ReplyBudget`) on a server configured far larger.
    public static let slowlogReadLimit = 10_000

    /// SLOWLOG LEN, and with `entries` > 0 the whole log (up to `slowlogReadLimit`), in
    /// one round trip, keeping its `entries` slowest.
    static func readSlowlog(_ connection: RedisConnection, entries: Int, into report: inout HealthReport,
                            timer: inout RoundTripTimer, facts: inout OptionalFacts) throws(RedisError) {
        var commands = [[Array("SLOWLOG".utf8), Array("LEN".utf8)]]
        if entries > 0 {
            commands.append([Array("SLOWLOG".utf8), Array("GET".utf8), Array(String(slowlogReadLimit).utf8)])
        }
        let (replies, _) = try timer.time("SLOWLOG") { () throws(RedisError) in try connection.pipeline(commands) }
        for (index, reply) in replies.enumerated() {
            if let e = reply.errorBytes {
                let error = RedisError.fromServerReply(connection.redactingSecrets(String(decoding: e, as: UTF8.self)))
                guard let why = error.refusal else { throw error }
                facts.record("SLOWLOG", provides: "the slow log", refusal: why, reply: error.description)
            } else if index == 0 {
                report.slowlogLength = reply.int
            } else {
                let slowestFirst = SlowlogEntry.parse(reply)
                report.slowlogEntriesRead = slowestFirst.count
                report.slowlog = Array(slowestFirst.prefix(entries))
            }
        }
    }

    /// The report's facts from INFO; fields of sections not read stay nil.
    static func fill(_ r: inout HealthReport, from info: ServerInfo) {
        // Forks say who they are in `server_name` (Valkey: `valkey`, with `valkey_version`)
        // and keep `redis_version` as the Redis version they answer as.
        let name = info["server_name"].flatMap { $0.isEmpty ? nil : $0.lowercased() } ?? (info["valkey_version"] != nil ? "valkey" : nil)
        if let name, name != "redis", let own = info["\(name)_version"] {
            r.server = name
            r.version = own
            r.compatibleRedisVersion = info["redis_version"]
        } else {
            r.server = info["redis_version"] != nil ? (name ?? "redis") : name
            r.version = info["redis_version"]
        }
        r.mode = info["redis_mode"] ?? info["server_mode"]
        r.role = info["role"]
        r.uptimeSeconds = info.int("uptime_in_seconds")
        r.connectedClients = info.int("connected_clients")
        r.blockedClients = info.int("blocked_clients")
        r.maxClients = info.int("maxclients")
        r.rejectedConnections = info.int("rejected_connections")
        r.usedMemoryBytes = info.int("used_memory")
        r.usedMemoryHuman = info["used_memory_human"]
        r.usedMemoryRssBytes = info.int("used_memory_rss")
        r.fragmentationRatio = info.double("mem_fragmentation_ratio")
        r.maxMemoryBytes = info.int("maxmemory")
        r.maxMemoryPolicy = info["maxmemory_policy"]
        if let used = r.usedMemoryBytes, let max = r.maxMemoryBytes, max > 0 {
            r.memoryUsedPercent = Double(used) / Double(max) * 100
        }
        r.keyspaceHits = info.int("keyspace_hits")
        r.keyspaceMisses = info.int("keyspace_misses")
        // Summed as Doubles: two counters near Int64.max must not trap; negative ones are nonsense.
        if let hits = r.keyspaceHits, let misses = r.keyspaceMisses, hits >= 0, misses >= 0, hits > 0 || misses > 0 {
            r.hitRatePercent = Double(hits) / (Double(hits) + Double(misses)) * 100
        }
        r.evictedKeys = info.int("evicted_keys")
        r.expiredKeys = info.int("expired_keys")
        r.loading = info["loading"].map { $0 == "1" }
        r.rdbLastSaveStatus = info["rdb_last_bgsave_status"]
        r.aofEnabled = info["aof_enabled"].map { $0 == "1" }
        r.aofLastWriteStatus = info["aof_last_write_status"]
        r.keyspace = info.sections.contains("keyspace") ? info.keyspace : nil
        r.replication = ReplicationDetail(info)
    }

    /// Pure assembly and judgement from INFO text, for tests.
    public static func report(latency: LatencySummary, info: ServerInfo, slowlogLength: Int64?,
                              thresholds: HealthThresholds, endpoint: Endpoint = .tcp(host: "127.0.0.1", port: 6379),
                              roundTrips: [RoundTrip]? = nil) -> HealthReport {
        var r = HealthReport(endpoint: endpoint, latency: latency,
                             roundTrips: roundTrips ?? [RoundTrip(name: "PING", milliseconds: latency.maxMs)])
        fill(&r, from: info)
        r.slowlogLength = slowlogLength
        judge(&r, thresholds)
        if thresholds.strict { applyStrict(&r) }
        return r
    }
}

/// The INFO sections health reads when INFO as a whole is refused.
enum InfoSection: String, CaseIterable {
    case server, clients, memory, persistence, stats, replication, cluster, keyspace

    var provides: String {
        switch self {
        case .server: return "version, mode and uptime"
        case .clients: return "clients"
        case .memory: return "memory"
        case .persistence: return "loading and persistence status"
        case .stats: return "hit rate, evictions and rates"
        case .replication: return "role and replication"
        case .cluster: return "cluster detection"
        case .keyspace: return "key counts"
        }
    }
}

/// Times each request of a run, so a stall is seen wherever it happens.
struct RoundTripTimer {
    var trips: [RoundTrip] = []

    mutating func time<T>(_ name: String, _ body: () throws(RedisError) -> T) throws(RedisError) -> (T, Double) {
        let clock = ContinuousClock()
        let start = clock.now
        let value = try body()
        let ms = (clock.now - start).inMilliseconds
        trips.append(RoundTrip(name: name, milliseconds: ms))
        return (value, ms)
    }
}
