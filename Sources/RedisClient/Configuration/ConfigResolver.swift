/// Connection settings given on the command line; `nil` means "not given".
public struct ConnectionOverrides: Sendable, Equatable {
    public var url: String?
    public var host: String?
    public var port: Int?
    public var socket: String?
    public var database: Int?
    public var username: String?
    /// Read with `--askpass`; there is deliberately no password flag.
    public var password: String?
    public var tls: Bool
    public var tlsOptions: TLSOptions
    public var resp3: Bool
    public var timeout: Duration?
    public var keyPrefix: [UInt8]?
    /// `--sentinel HOST:PORT[,…]` and `--master NAME`.
    public var sentinels: String?
    public var masterName: String?

    public init(url: String? = nil, host: String? = nil, port: Int? = nil, socket: String? = nil,
                database: Int? = nil, username: String? = nil, password: String? = nil, tls: Bool = false,
                tlsOptions: TLSOptions = TLSOptions(), resp3: Bool = false, timeout: Duration? = nil,
                keyPrefix: [UInt8]? = nil) {
        self.url = url
        self.host = host
        self.port = port
        self.socket = socket
        self.database = database
        self.username = username
        self.password = password
        self.tls = tls
        self.tlsOptions = tlsOptions
        self.resp3 = resp3
        self.timeout = timeout
        self.keyPrefix = keyPrefix
    }
}

/// Merges flags, environment and defaults into one `ConnectionConfig`.
///
/// Precedence (docs/CLI.md): flags, then `REDIS_URL`, then the `REDIS_*` parts, then defaults.
/// `REDISCLI_AUTH` sits with the parts, above `REDIS_PASSWORD`, as in redis-cli.
public enum ConfigResolver {
    public static func resolve(flags: ConnectionOverrides, environment env: [String: String]) throws(RedisError) -> ConnectionConfig {
        var host = "127.0.0.1"
        var port = 6379
        var socket: String?
        var database = 0
        var username: String?
        var password: String?
        var passwordSource: String?
        var tls = false

        // Lowest: the REDIS_* parts.
        if let h = nonEmpty(env["REDIS_HOST"]) { host = h }
        if let p = nonEmpty(env["REDIS_PORT"]) { port = try parsePort(p, source: "REDIS_PORT") }
        if let d = nonEmpty(env["REDIS_DB"]) { database = try parseDatabase(d, source: "REDIS_DB") }
        if let u = nonEmpty(env["REDIS_USERNAME"]) { username = u }
        if let p = nonEmpty(env["REDIS_PASSWORD"]) { password = p; passwordSource = "REDIS_PASSWORD" }
        if let p = nonEmpty(env["REDISCLI_AUTH"]) { password = p; passwordSource = "REDISCLI_AUTH" }
        if let t = nonEmpty(env["REDIS_TLS"]) {
            switch t.lowercased() {
            case "true", "1", "yes": tls = true
            case "false", "0", "no": tls = false
            default: throw .invalidConfiguration("REDIS_TLS must be true or false, not '\(t)'")
            }
        }

        func apply(_ url: RedisURL, source: String) {
            if let e = url.endpoint, case .unix(let path) = e { socket = path } else if url.host != nil || url.port != nil { socket = nil }
            if let h = url.host { host = h }
            if let p = url.port { port = p }
            if let d = url.database { database = d }
            if let u = url.username { username = u }
            if let p = url.password { password = p; passwordSource = source }
            if url.endpoint == nil { tls = url.tls }
        }
        // Credentials travel with the URL that named them: a `--url`, `--host`, `--port` or
        // `--socket` flag moves to another server, which must not receive REDIS_URL's
        // password. The generic parts (REDIS_PASSWORD, REDISCLI_AUTH) still apply there.
        let partsUsername = username
        let partsPassword = password
        let partsPasswordSource = passwordSource
        let flagsMoveServer = flags.url != nil || flags.host != nil || flags.port != nil || flags.socket != nil
        if flags.url == nil, let u = nonEmpty(env["REDIS_URL"]) {
            do { apply(try RedisURL.parse(u), source: "REDIS_URL") } catch {
                throw .invalidConfiguration("REDIS_URL: \(error)")
            }
            if flagsMoveServer {
                username = partsUsername
                password = partsPassword
                passwordSource = partsPasswordSource
            }
        }

        // Highest: flags. A `--url` is taken whole, as redis-cli takes `-u`: REDIS_URL is
        // not read at all then.
        if let u = flags.url { apply(try RedisURL.parse(u), source: "the --url URL") }
        if let h = flags.host { host = h; socket = nil }
        if let p = flags.port {
            guard (1...65535).contains(p) else { throw .invalidConfiguration("port must be from 1 to 65535, not \(p)") }
            port = p
            socket = flags.socket
        }
        if let s = flags.socket { socket = s }
        if let d = flags.database { database = d }
        if let u = flags.username { username = u }
        if let p = flags.password { password = p; passwordSource = "--askpass" }
        if flags.tls { tls = true }

        let endpoint: Endpoint = socket.map { .unix(path: $0) } ?? .tcp(host: host, port: port)
        var tlsOptions: TLSOptions?
        if tls {
            if case .unix = endpoint { throw .invalidConfiguration("TLS over a Unix socket is not supported") }
            tlsOptions = flags.tlsOptions
        } else if flags.tlsOptions != TLSOptions() {
            throw .invalidConfiguration("--cacert, --cert, --key, --sni and --insecure need --tls or a rediss:// URL")
        }
        let prefix = flags.keyPrefix ?? nonEmpty(env["REDIS_KEY_PREFIX"]).map { Array($0.utf8) } ?? []
        let timeout = flags.timeout ?? .seconds(5)
        var sentinel: SentinelConfig?
        switch (flags.sentinels, flags.masterName) {
        case (nil, nil): break
        case (let list?, let name?):
            guard !name.isEmpty else { throw .invalidConfiguration("--master needs the name the sentinels monitor") }
            sentinel = SentinelConfig(sentinels: try SentinelConfig.parseAddresses(list), masterName: name)
        case (_?, nil): throw .invalidConfiguration("--sentinel needs --master NAME")
        case (nil, _?): throw .invalidConfiguration("--master needs --sentinel HOST:PORT[,HOST:PORT...]")
        }
        var config = ConnectionConfig(endpoint: endpoint, database: database, username: username, password: password,
                                      tls: tlsOptions, resp3: flags.resp3, connectTimeout: timeout, replyTimeout: timeout,
                                      keyPrefix: prefix, sentinel: sentinel)
        config.passwordSource = password == nil ? nil : passwordSource
        return config
    }

    private static func nonEmpty(_ s: String?) -> String? {
        guard let s, !s.isEmpty else { return nil }
        return s
    }

    private static func parsePort(_ s: String, source: String) throws(RedisError) -> Int {
        guard let p = Int(s), (1...65535).contains(p) else {
            throw .invalidConfiguration("\(source) must be a port from 1 to 65535, not '\(s)'")
        }
        return p
    }

    private static func parseDatabase(_ s: String, source: String) throws(RedisError) -> Int {
        guard let d = Int(s), d >= 0 else {
            throw .invalidConfiguration("\(source) must be a database number, not '\(s)'")
        }
        return d
    }
}
