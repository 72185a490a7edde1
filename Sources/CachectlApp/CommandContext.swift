import CacheOps
import CLI
import RedisClient

/// What every command gets: its parsed line, how to print, and how to connect.
struct CommandContext {
    let parsed: ParsedCommandLine
    let environment: [String: String]
    let output: Output

    init(parsed: ParsedCommandLine, environment: [String: String], ledger: ResultLedger = ResultLedger()) {
        self.parsed = parsed
        self.environment = environment
        self.output = Output(options: parsed.options, ledger: ledger)
    }

    var options: ParsedOptions { parsed.options }

    /// A usage error for this command, printed with its usage line.
    func usageError(_ message: String, hint: String? = nil) -> Failure {
        let usage = HelpRenderer.usageLine(for: parsed.commandPath, in: ProgramTable.spec)
        return Failure(message, exitCode: .usage, hint: hint ?? "usage: \(usage)")
    }

    /// A client error as the failure the user sees: a NOPERM names the ACL rule that
    /// would allow it. Summaries (`--json`) and stderr use this one text.
    func failure(_ error: RedisError) -> Failure {
        var failure = Failure(error)
        if case .permissionDenied(let reply) = error { failure.message = permissionAdvice.explain(reply) }
        return failure
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
        let prefix = options[GlobalOptions.prefix] ?? Array((environment["REDIS_KEY_PREFIX"] ?? "").utf8)
        // Option declarations are per command: read invalidate's only when it runs.
        let invalidate = parsed.command == .invalidate
        let named = invalidate ? options[InvalidateOptions.key].map(GlobPattern.escape) : []
        let scans = invalidate || [.keysList, .keysStats, .keysAudit, .keysShow, .keysExpire].contains(parsed.command)
        var advice = PermissionAdvice(subcommand: parsed.commandPath.first ?? "", prefix: prefix,
                                      patterns: scans ? parsed.arguments.map(\.bytes) + named : [],
                                      channel: invalidate ? options[InvalidateOptions.publish] : nil)
        if parsed.command == .sessionRevoke {
            advice.channel = options[SessionOptions.publish] ?? SessionCommand.defaultChannel
        }
        if parsed.command == .watch { advice.channels = WatchCommand.channels(parsed) }
        return advice
    }

    func resolveConfig() throws -> ConnectionConfig {
        var flags = ConnectionOverrides()
        // --port and --timeout are bounded by the table; the URL's are checked by the resolver.
        typealias G = GlobalOptions
        flags.url = options[G.url]
        flags.host = options[G.host]
        flags.port = options[G.port]
        flags.socket = options[G.socket]
        flags.database = options[G.db]
        flags.username = options[G.user]  // nil under session's own --user (an application user)
        flags.tls = options[G.tls]
        flags.tlsOptions = TLSOptions(caCertificateFile: options[G.cacert], certificateFile: options[G.cert],
                                      keyFile: options[G.tlsKey] ?? options[G.key], serverName: options[G.sni],
                                      insecure: options[G.insecure])
        flags.resp3 = options[G.resp3]
        flags.timeout = options[G.timeout]
        flags.keyPrefix = options[G.prefix]
        flags.sentinels = options[G.sentinel]
        flags.masterName = options[G.master]
        if options[G.askpass] {
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
