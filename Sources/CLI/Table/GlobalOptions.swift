/// Options every command accepts, before or after the command (docs/CLI.md "Connection"
/// and "Output"). There is deliberately no password option: command lines leak into `ps`.
public enum GlobalOptions {
    public static let all: [OptionSpec] = connection + output

    public static let url = Option<String?>.string(
        "url", short: "u", valueName: "URL",
        help: "redis://[[user][:password]@]host[:port][/db], rediss://... (TLS) or unix:///path/redis.sock[?db=N]", global: true)
    public static let host = Option<String?>.string("host", short: "h", kind: .host, absent: "127.0.0.1",
                                                    help: "server host name or address", global: true)
    public static let port = Option<Int?>.count("port", short: "p", valueName: "PORT", range: Bounds(1...65535),
                                                absent: "6379", help: "server port", global: true)
    public static let socket = Option<String?>.string("socket", short: "s", kind: .file, valueName: "PATH",
                                                      help: "connect through a Unix domain socket", global: true)
    public static let db = Option<Int?>.count("db", short: "n", absent: "0", help: "database number", global: true)
    /// `session --user` is the application's user id; there the ACL user comes from
    /// REDIS_USERNAME or the URL.
    public static let user = Option<String?>.string("user", valueName: "NAME", help: "ACL user name", global: true,
                                                    unavailableIn: ["session"])
    public static let askpass = Option.flag("askpass", help: "read the password from the terminal without echo", global: true)
    public static let tls = Option.flag("tls", help: "connect with TLS", global: true)
    public static let cacert = Option<String?>.string("cacert", kind: .file, help: "CA certificate bundle that verifies the server",
                                                      global: true)
    public static let cert = Option<String?>.string("cert", kind: .file, help: "client certificate for mutual TLS", global: true)
    /// `invalidate --key` names a Redis key; there the TLS key file is `--tls-key`.
    public static let key = Option<String?>.string("key", kind: .file, help: "client private key for mutual TLS",
                                                   global: true, unavailableIn: ["invalidate"])
    public static let tlsKey = Option<String?>.string(
        "tls-key", kind: .file, help: "the same as --key, for commands whose own --key names a Redis key (invalidate)",
        global: true)
    public static let sni = Option<String?>.string("sni", kind: .host, valueName: "NAME", absent: "the host",
                                                   help: "server name to send and verify", global: true)
    public static let insecure = Option.flag("insecure", help: "skip TLS certificate verification (warns)", global: true)
    public static let resp3 = Option.flag("resp3", help: "negotiate RESP3 with HELLO 3", global: true)
    public static let timeout = Option<Duration?>.duration("timeout", range: .atLeast(.milliseconds(1)), absent: "5s",
                                                           help: "connect timeout and per-reply timeout", global: true)
    public static let sentinel = Option<String?>.string("sentinel", valueName: "HOST:PORT[,...]",
                                                        help: "ask these sentinels for the current primary (with --master)",
                                                        global: true)
    public static let master = Option<String?>.string("master", valueName: "NAME",
                                                      help: "the primary's name as the sentinels monitor it", global: true)
    public static let prefix = Option<[UInt8]?>.bytes("prefix", valueName: "PREFIX",
                                                      help: "prepended to every key and pattern the command touches",
                                                      global: true)

    public static let json = Option.flag("json", help: "print JSON (NDJSON for streams) with stable camelCase fields", global: true)
    public static let quiet = Option.flag("quiet", short: "q", help: "no tables, notices or progress, only results scripts capture (JSON, keys, an owner) and errors",
                                          global: true)
    public static let verbose = Option.flag("verbose", short: "v", help: "add diagnostics on stderr", global: true)
    public static let noColor = Option.flag("no-color", help: "never colour output (also: NO_COLOR)", global: true)

    public static let connection: [OptionSpec] = [
        url.spec, host.spec, port.spec, socket.spec, db.spec, user.spec, askpass.spec, tls.spec, cacert.spec, cert.spec,
        key.spec, tlsKey.spec, sni.spec, insecure.spec, resp3.spec, timeout.spec, sentinel.spec, master.spec, prefix.spec,
    ]

    public static let output: [OptionSpec] = [json.spec, quiet.spec, verbose.spec, noColor.spec]
}
