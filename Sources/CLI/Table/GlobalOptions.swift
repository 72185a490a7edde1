/// Options every command accepts, before or after the command (CLI.md "Connection" and
/// "Output"). There is deliberately no password option: command lines leak into `ps`.
public enum GlobalOptions {
    public static let all: [OptionSpec] = connection + output

    public static let connection: [OptionSpec] = [
        OptionSpec("url", short: "u", value: .string, valueName: "URL",
                   help: "redis://[[user][:password]@]host[:port][/db], rediss://... (TLS) or unix:///path/redis.sock[?db=N]"),
        OptionSpec("host", short: "h", value: .host, help: "server host name or address (default 127.0.0.1)"),
        OptionSpec("port", short: "p", value: .count, valueName: "PORT", help: "server port (default 6379)"),
        OptionSpec("socket", short: "s", value: .file, valueName: "PATH", help: "connect through a Unix domain socket"),
        OptionSpec("db", short: "n", value: .count, help: "database number (default 0)"),
        OptionSpec("user", value: .string, valueName: "NAME", help: "ACL user name"),
        .flag("askpass", help: "read the password from the terminal without echo"),
        .flag("tls", help: "connect with TLS"),
        OptionSpec("cacert", value: .file, help: "CA certificate bundle that verifies the server"),
        OptionSpec("cert", value: .file, help: "client certificate for mutual TLS"),
        OptionSpec("key", value: .file, help: "client private key for mutual TLS"),
        OptionSpec("tls-key", value: .file, help: "the same as --key, for commands whose own --key names a Redis key (invalidate)"),
        OptionSpec("sni", value: .host, valueName: "NAME", help: "server name to send and verify (default: the host)"),
        .flag("insecure", help: "skip TLS certificate verification (warns)"),
        .flag("resp3", help: "negotiate RESP3 with HELLO 3"),
        OptionSpec("timeout", value: .duration, help: "connect timeout and per-reply timeout (default 5s)"),
        OptionSpec("sentinel", value: .string, valueName: "HOST:PORT[,...]",
                   help: "ask these sentinels for the current primary (with --master)"),
        OptionSpec("master", value: .string, valueName: "NAME", help: "the primary's name as the sentinels monitor it"),
        OptionSpec("prefix", value: .string, valueName: "PREFIX", help: "prepended to every key and pattern the command touches"),
    ]

    public static let output: [OptionSpec] = [
        .flag("json", help: "print JSON (NDJSON for streams) with stable camelCase fields"),
        .flag("quiet", short: "q", help: "no tables, notices or progress, only results scripts capture (JSON, keys, an owner) and errors"),
        .flag("verbose", short: "v", help: "add diagnostics on stderr"),
        .flag("no-color", help: "never colour output (also: NO_COLOR)"),
    ]
}
