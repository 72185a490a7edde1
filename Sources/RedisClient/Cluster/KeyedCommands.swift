import RESP

/// Commands that name the key they touch, so a cluster-aware client can route them to the
/// key's slot. Locks and rate limits use this and work unchanged on one node or a cluster.
public protocol KeyedCommands: AnyObject {
    /// Runs `args` on the node serving `key`; error replies are thrown.
    @discardableResult
    func command(_ args: [[UInt8]], key: [UInt8]) throws(RedisError) -> RESPValue
    /// Runs a Lua script on the node serving `keys[0]` (every key of one call must share a
    /// slot in a cluster: use hash tags).
    @discardableResult
    func eval(_ script: LuaScript, keys: [[UInt8]], args: [[UInt8]]) throws(RedisError) -> RESPValue
}

extension RedisConnection: KeyedCommands {
    @discardableResult
    public func command(_ args: [[UInt8]], key: [UInt8]) throws(RedisError) -> RESPValue {
        try command(args)
    }
}

extension ClusterClient: KeyedCommands {
    @discardableResult
    public func eval(_ script: LuaScript, keys: [[UInt8]], args: [[UInt8]]) throws(RedisError) -> RESPValue {
        let tail: [[UInt8]] = [Array(String(keys.count).utf8)] + keys + args
        let key = keys.first ?? []
        do {
            return try command([Array("EVALSHA".utf8), Array(script.sha1.utf8)] + tail, key: key)
        } catch .server(let text) where text.hasPrefix("NOSCRIPT") {
            return try command([Array("EVAL".utf8), Array(script.source.utf8)] + tail, key: key)
        }
    }
}

/// A client that starts as a plain connection and becomes cluster-aware the first time the
/// server answers `MOVED` or `ASK`, so a standalone server pays no extra round trip to find
/// out what it is.
public final class RoutedClient: KeyedCommands {
    public let seed: RedisConnection
    public private(set) var cluster: ClusterClient?

    public init(seed: RedisConnection) {
        self.seed = seed
    }

    /// Connects (through the handshake) and wraps the connection.
    public static func connect(_ config: ConnectionConfig) throws(RedisError) -> RoutedClient {
        RoutedClient(seed: try RedisConnection.connect(config))
    }

    public var config: ConnectionConfig { seed.config }

    public func close() { seed.close() }

    /// The connections keyspace-wide work must visit: every primary of a cluster, or the
    /// one server.
    public func primaryConnections() throws(RedisError) -> [RedisConnection] {
        guard let cluster = try clusterIfAny() else { return [seed] }
        var result: [RedisConnection] = []
        for endpoint in cluster.primaries { result.append(try cluster.connection(to: endpoint)) }
        return result
    }

    @discardableResult
    public func command(_ args: [[UInt8]], key: [UInt8]) throws(RedisError) -> RESPValue {
        if let cluster { return try cluster.command(args, key: key) }
        do {
            return try seed.command(args)
        } catch .server(let text) where text.hasPrefix("MOVED ") || text.hasPrefix("ASK ") {
            return try upgrade().command(args, key: key)
        }
    }

    @discardableResult
    public func eval(_ script: LuaScript, keys: [[UInt8]], args: [[UInt8]]) throws(RedisError) -> RESPValue {
        if let cluster { return try cluster.eval(script, keys: keys, args: args) }
        do {
            return try seed.eval(script, keys: keys, args: args)
        } catch .server(let text) where text.hasPrefix("MOVED ") || text.hasPrefix("ASK ") {
            return try upgrade().eval(script, keys: keys, args: args)
        }
    }

    /// The cluster client, reading the slot map now if it was not needed yet; `nil` on a
    /// standalone server. For fan-out operations that must visit every primary.
    public func clusterIfAny() throws(RedisError) -> ClusterClient? {
        if let cluster { return cluster }
        guard try ClusterClient.isClusterNode(seed) else { return nil }
        return try upgrade()
    }

    private func upgrade() throws(RedisError) -> ClusterClient {
        let c = try ClusterClient(seed: seed)
        cluster = c
        return c
    }
}
