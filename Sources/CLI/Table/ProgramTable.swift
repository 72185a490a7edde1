/// cachectl's whole command line: the one table that parsing, `--help`, the man page and
/// the completion scripts are generated from.
public enum ProgramTable {
    public static let version = "0.1.0"

    public static let spec = ProgramSpec(
        name: "cachectl",
        version: version,
        summary: "operate Redis (and Redis-compatible servers) as a cache",
        discussion: """
        cachectl checks health, explores and invalidates keys, and holds locks and rate limits \
        for Redis used as a cache. Results go to stdout (tables, or JSON with --json); \
        diagnostics go to stderr; the exit code tells scripts what happened.
        """,
        globalOptions: GlobalOptions.all,
        commands: [.health, .keys, .invalidate, .cache, .lock, .ratelimit, .watch, .session, .bench, .acl, .completion, .man],
        environment: [
            ("REDIS_URL", "connection URL, used when --url is not given"),
            ("REDIS_HOST", "server host (below REDIS_URL in precedence)"),
            ("REDIS_PORT", "server port"),
            ("REDIS_USERNAME", "ACL user name"),
            ("REDIS_PASSWORD", "password"),
            ("REDISCLI_AUTH", "password, as redis-cli reads it (above REDIS_PASSWORD)"),
            ("REDIS_DB", "database number"),
            ("REDIS_TLS", "true or false: connect with TLS"),
            ("REDIS_KEY_PREFIX", "prefix for every key and pattern (as --prefix)"),
            ("NO_COLOR", "when set, output is never coloured"),
        ],
        exitCodes: ExitCode.documented,
        examples: [
            Example("cachectl health", "check the local server"),
            Example("REDIS_URL=redis://cache.internal:6379/2 cachectl health --json", "check another server, as JSON"),
            Example("cachectl --askpass --user ops health", "authenticate as an ACL user, password typed at the terminal"),
        ],
        values: ValueGrammar.forms.map { ($0.term, $0.meaning) })
}
