import CacheOps
import CLI
import RedisClient

/// What every command gets: its parsed line, how to print, and how to connect.
struct CommandContext {
    let parsed: ParsedCommandLine
    let environment: [String: String]
    let output: Output

    init(parsed: ParsedCommandLine, environment: [String: String]) {
        self.parsed = parsed
        self.environment = environment
        self.output = Output(options: parsed.options)
    }

    var options: ParsedOptions { parsed.options }

    /// A usage error for this command, printed with its usage line.
    func usageError(_ message: String, hint: String? = nil) -> Failure {
        let usage = HelpRenderer.usageLine(for: parsed.commandPath, in: ProgramTable.spec)
        return Failure(message, exitCode: .usage, hint: hint ?? "usage: \(usage)")
    }

    /// Resolves flags, environment and defaults, then connects and authenticates.
    func connect() throws -> RedisConnection {
        let config = try resolveConfig()
        output.debug("connecting to \(config)")
        if config.tls?.insecure == true {
            output.warn("--insecure: the server's TLS certificate is not verified")
        }
        let connection = try RedisConnection.connect(config)
        output.debug("connected (RESP\(connection.protocolVersion))")
        return connection
    }

    /// A connection that follows a cluster's redirections when the server turns out to be
    /// one: for commands that name their keys (locks, rate limits) or fan out.
    func connectRouted() throws -> RoutedClient {
        RoutedClient(seed: try connect())
    }

    /// What a NOPERM on a core command is explained with: the key rule comes from
    /// --prefix (or REDIS_KEY_PREFIX), else the patterns and keys given to keys and invalidate.
    var permissionAdvice: PermissionAdvice {
        let command = parsed.commandPath.first ?? ""
        let prefix = options.bytes("prefix") ?? Array((environment["REDIS_KEY_PREFIX"] ?? "").utf8)
        let named = command == "invalidate" ? options.allBytes("key").map(GlobPattern.escape) : []
        let patterns = command == "keys" || command == "invalidate" ? parsed.arguments.map(\.bytes) + named : []
        var advice = PermissionAdvice(subcommand: command, prefix: prefix, patterns: patterns,
                                      channel: command == "invalidate" ? options.bytes("publish") : nil)
        if command == "session" { advice.channel = options.bytes("publish") ?? SessionCommand.defaultChannel }
        if command == "watch" { advice.channels = WatchCommand.channels(parsed) }
        return advice
    }

    /// A global option's value, unless the command has its own option of that name, which
    /// then owns it (`invalidate --key KEY` is a key to delete, not a TLS key file).
    func globalOption(_ long: String) -> String? {
        ProgramTable.spec.command(at: parsed.commandPath)?.option(long: long) == nil ? options.string(long) : nil
    }

    func resolveConfig() throws -> ConnectionConfig {
        var flags = ConnectionOverrides()
        flags.url = options.string("url")
        flags.host = options.string("host")
        flags.port = options.int("port")
        flags.socket = options.string("socket")
        flags.database = options.int("db")
        flags.username = globalOption("user")  // session's own --user is an application user
        flags.tls = options.has("tls")
        flags.tlsOptions = TLSOptions(caCertificateFile: options.string("cacert"), certificateFile: options.string("cert"),
                                      keyFile: options.string("tls-key") ?? globalOption("key"), serverName: options.string("sni"),
                                      insecure: options.has("insecure"))
        flags.resp3 = options.has("resp3")
        flags.timeout = options.duration("timeout")
        flags.keyPrefix = options.bytes("prefix")
        flags.sentinels = options.string("sentinel")
        flags.masterName = options.string("master")
        if let p = flags.port, !(1...65535).contains(p) {
            throw usageError("--port must be from 1 to 65535, not \(p)")
        }
        if let t = flags.timeout, t <= .zero {
            throw usageError("--timeout must be greater than zero")
        }
        if options.has("askpass") {
            guard Terminal.hasControllingTerminal() else {
                throw Failure("--askpass needs a terminal; in scripts set REDISCLI_AUTH or REDIS_PASSWORD",
                              exitCode: .config)
            }
            guard let password = Terminal.readPasswordNoEcho(prompt: "Password: ") else {
                throw Failure("password prompt cancelled", exitCode: .interrupted)
            }
            flags.password = password
        }
        if let url = flags.url, (try? RedisURL.parse(url))?.password != nil {
            // As redis-cli warns for -a: the command line shows in ps and shell history.
            output.warn("a password on the command line (-u) can be seen by other users in ps and kept in shell history; "
                        + "set REDIS_URL or REDISCLI_AUTH, or use --askpass")
        }
        return try ConfigResolver.resolve(flags: flags, environment: environment)
    }
}
