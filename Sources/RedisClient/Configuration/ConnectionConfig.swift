/// TLS settings; carried from the command line to the TLS transport.
public struct TLSOptions: Sendable, Equatable {
    public var caCertificateFile: String?
    public var certificateFile: String?
    public var keyFile: String?
    public var serverName: String?
    /// Skip certificate and host name verification (the CLI warns).
    public var insecure: Bool

    public init(caCertificateFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil,
                serverName: String? = nil, insecure: Bool = false) {
        self.caCertificateFile = caCertificateFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.serverName = serverName
        self.insecure = insecure
    }
}

/// Everything needed to open and set up one connection, after flags, environment and
/// defaults have been merged (see `ConfigResolver`).
public struct ConnectionConfig: Sendable, Equatable {
    public var endpoint: Endpoint
    public var database: Int
    public var username: String?
    /// Never printed; `description` and errors leave it out.
    public var password: String?
    /// Where the password came from (`REDISCLI_AUTH`, `REDIS_URL`, `--askpass`…), so that
    /// a refused login can say which setting to fix without showing the password.
    public var passwordSource: String?
    /// `nil` for plain connections.
    public var tls: TLSOptions?
    /// Negotiate RESP3 with `HELLO 3`.
    public var resp3: Bool
    public var connectTimeout: Duration
    /// How long to wait for each reply.
    public var replyTimeout: Duration
    /// Sent with `CLIENT SETNAME` so operators can spot cachectl in `CLIENT LIST`.
    public var clientName: String?
    /// Prepended by operations to every key and pattern (ioredis `keyPrefix`); the
    /// connection itself never rewrites commands.
    public var keyPrefix: [UInt8]
    /// When set, `endpoint` is found by asking these sentinels for the current primary.
    public var sentinel: SentinelConfig?

    public init(endpoint: Endpoint = .tcp(host: "127.0.0.1", port: 6379), database: Int = 0,
                username: String? = nil, password: String? = nil, tls: TLSOptions? = nil,
                resp3: Bool = false, connectTimeout: Duration = .seconds(5), replyTimeout: Duration = .seconds(5),
                clientName: String? = "cachectl", keyPrefix: [UInt8] = [], sentinel: SentinelConfig? = nil) {
        self.endpoint = endpoint
        self.database = database
        self.username = username
        self.password = password
        self.tls = tls
        self.resp3 = resp3
        self.connectTimeout = connectTimeout
        self.replyTimeout = replyTimeout
        self.clientName = clientName
        self.keyPrefix = keyPrefix
        self.sentinel = sentinel
    }
}

extension ConnectionConfig: CustomStringConvertible {
    /// A redacted summary for `--verbose`: the password shows as `***`.
    public var description: String {
        var s = tls == nil ? "" : "tls "
        if let sentinel {
            s += "primary '\(sentinel.masterName)' via sentinels \(sentinel.sentinels.map(\.display).joined(separator: ","))"
        } else {
            s += endpoint.display
        }
        if database != 0 { s += " db=\(database)" }
        if let u = username { s += " user=\(u)" }
        if password != nil { s += " password=***" }
        if resp3 { s += " resp3" }
        return s
    }
}
