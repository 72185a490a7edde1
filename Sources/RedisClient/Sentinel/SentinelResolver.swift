import RESP
#if canImport(Glibc)
import Glibc
#endif

/// What the sentinels say about a monitored primary, for `health`.
public struct SentinelView: Sendable, Equatable {
    public var sentinel: Endpoint
    public var masterName: String
    public var primary: Endpoint
    public var quorum: Int64
    public var replicas: Int64
    public var otherSentinels: Int64
    public var flags: String
}

/// Finds the current primary through Sentinel: ask each sentinel in turn, then confirm with
/// `ROLE` that the node really is a primary (a failover may be under way), retrying until
/// the connect timeout runs out.
public enum SentinelResolver {
    /// The node's role from `ROLE`, else INFO `replication`; nil when the user may run
    /// neither (least privilege), and the sentinel's word is taken.
    static func confirmedRole(_ connection: RedisConnection) throws(RedisError) -> String? {
        do {
            return try connection.command("ROLE").elements?.first?.string
        } catch where error.refusal != nil {
            do {
                let info = try connection.command("INFO", "replication").string ?? ""
                return info.split(whereSeparator: \.isNewline).first { $0.hasPrefix("role:") }
                    .map { String($0.dropFirst(5)) }
            } catch where error.refusal != nil {
                return nil
            }
        }
    }

    public static func connectToPrimary(_ config: ConnectionConfig, sentinel: SentinelConfig) throws(RedisError) -> RedisConnection {
        let deadline = ContinuousClock.now + config.connectTimeout
        var lastError: RedisError = .connectionFailed(endpoint: "sentinels", reason: "none answered")
        repeat {
            for endpoint in sentinel.sentinels {
                do {
                    let address = try primaryAddress(from: endpoint, config: config, masterName: sentinel.masterName)
                    var primaryConfig = config
                    primaryConfig.endpoint = address
                    let connection = try RedisConnection.connectDirect(primaryConfig)
                    let role = try confirmedRole(connection)
                    if role == nil || role == "master" { return connection }
                    lastError = .connectionFailed(endpoint: address.display,
                                                  reason: "sentinel \(endpoint.display) named it primary but its role is \(role ?? "unknown")")
                } catch {
                    // Wrong credentials are wrong everywhere; anything else (one sentinel that
                    // does not know the name, one that is down) is worth asking the next one.
                    if error.category == .authentication { throw error }
                    lastError = error
                }
            }
            // Every sentinel said it does not know the name: waiting will not change that.
            if case .invalidConfiguration = lastError { throw lastError }
            usleep(100_000)
        } while ContinuousClock.now < deadline
        throw lastError
    }

    /// `SENTINEL MASTER name` from the first sentinel that answers.
    public static func view(_ config: ConnectionConfig, sentinel: SentinelConfig) throws(RedisError) -> SentinelView {
        var lastError: RedisError = .connectionFailed(endpoint: "sentinels", reason: "none answered")
        for endpoint in sentinel.sentinels {
            do throws(RedisError) {
                let conn = try sentinelConnection(endpoint, config: config)
                let reply = try conn.command([Array("SENTINEL".utf8), Array("MASTER".utf8), Array(sentinel.masterName.utf8)])
                var fields: [String: String] = [:]
                if case .map(let pairs) = reply.unwrapped {
                    for p in pairs { if let k = p.key.string, let v = p.value.string { fields[k] = v } }
                } else if let items = reply.elements {
                    var i = 0
                    while i + 1 < items.count {
                        if let k = items[i].string, let v = items[i + 1].string { fields[k] = v }
                        i += 2
                    }
                }
                guard let ip = fields["ip"], let port = fields["port"].flatMap({ Int($0) }) else {
                    throw .protocolViolation("SENTINEL MASTER reply lacks ip and port")
                }
                return SentinelView(sentinel: endpoint, masterName: sentinel.masterName, primary: .tcp(host: ip, port: port),
                                    quorum: Int64(fields["quorum"] ?? "") ?? 0, replicas: Int64(fields["num-slaves"] ?? "") ?? 0,
                                    otherSentinels: Int64(fields["num-other-sentinels"] ?? "") ?? 0, flags: fields["flags"] ?? "")
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    private static func primaryAddress(from endpoint: Endpoint, config: ConnectionConfig, masterName: String) throws(RedisError) -> Endpoint {
        let conn = try sentinelConnection(endpoint, config: config)
        let reply = try conn.command([Array("SENTINEL".utf8), Array("GET-MASTER-ADDR-BY-NAME".utf8), Array(masterName.utf8)])
        guard let parts = reply.elements, parts.count == 2, let host = parts[0].string, let port = parts[1].int else {
            throw .invalidConfiguration("sentinel \(endpoint.display) does not know a primary named '\(masterName)'")
        }
        return .tcp(host: host, port: Int(port))
    }

    /// Sentinels usually run without a password; when one asks for it, the data nodes'
    /// credentials are tried.
    private static func sentinelConnection(_ endpoint: Endpoint, config: ConnectionConfig) throws(RedisError) -> RedisConnection {
        var c = config
        c.endpoint = endpoint
        c.database = 0
        c.sentinel = nil
        c.username = nil
        c.password = nil
        c.resp3 = false
        do {
            let conn = try RedisConnection.connectDirect(c)
            _ = try conn.command("PING")
            return conn
        } catch .authenticationFailed {
            var authed = c
            authed.username = config.username
            authed.password = config.password
            return try RedisConnection.connectDirect(authed)
        }
    }
}
