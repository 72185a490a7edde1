import CLI

/// A small program in the shape of cachectl, built here so the CLI module is tested on
/// its own terms and not against the real command table (which changes independently).
enum Sample {
    static let globals: [OptionSpec] = [
        OptionSpec("url", short: "u", value: .string, valueName: "URL", help: "Server URL"),
        OptionSpec("host", short: "h", value: .host, help: "Server host"),
        OptionSpec("port", short: "p", value: .count, valueName: "PORT", help: "Server port"),
        OptionSpec("db", short: "n", value: .count, help: "Database number"),
        OptionSpec("timeout", value: .duration, help: "Connect and reply timeout"),
        OptionSpec("prefix", value: .string, valueName: "PREFIX", help: "Key prefix"),
        OptionSpec("cacert", value: .file, help: "CA certificate"),
        .flag("json", help: "Print JSON"),
        .flag("quiet", short: "q", help: "Print nothing but errors"),
        .flag("verbose", short: "v", help: "More diagnostics"),
        .flag("no-color", help: "Never colour output"),
        OptionSpec("trace", value: .string, help: "Internal tracing", hidden: true),
    ]

    static let lock = CommandSpec(
        "lock", summary: "Distributed locks",
        subcommands: [
            CommandSpec("acquire", summary: "Take a lock",
                        discussion: "Takes the lock NAME for --ttl.\n\nFails with exit 1 when it is held.",
                        arguments: [ArgumentSpec("NAME", help: "Lock name"),
                                    ArgumentSpec("OWNER", help: "Owner token", optional: true)],
                        options: [OptionSpec("ttl", short: "t", value: .duration, help: "Lock lifetime"),
                                  OptionSpec("wait", value: .duration, help: "How long to wait for the lock")],
                        examples: [Example("cachectl lock acquire deploy --ttl 30s", "Take the deploy lock for 30 seconds")]),
            CommandSpec("release", summary: "Release a lock",
                        arguments: [ArgumentSpec("NAME", help: "Lock name")]),
            CommandSpec("run", summary: "Run a command while holding a lock",
                        arguments: [ArgumentSpec("NAME", help: "Lock name")],
                        options: [OptionSpec("ttl", value: .duration, help: "Lock lifetime")],
                        passthrough: true),
        ])

    static let keys = CommandSpec(
        "keys", summary: "Explore the keyspace",
        subcommands: [
            CommandSpec("list", summary: "List keys matching patterns",
                        arguments: [ArgumentSpec("PATTERN", help: "Glob pattern", optional: true, variadic: true)],
                        options: [OptionSpec("count", value: .count, help: "SCAN COUNT hint"),
                                  OptionSpec("type", value: .choice(["string", "hash", "list", "set", "zset"]),
                                             help: "Only keys of this type"),
                                  .flag("null", short: "0", help: "NUL-terminated raw output"),
                                  OptionSpec("exclude", value: .string, valueName: "PATTERN",
                                             help: "Skip keys matching PATTERN", repeatable: true)]),
        ])

    static let invalidate = CommandSpec(
        "invalidate", summary: "Delete keys by pattern",
        arguments: [ArgumentSpec("PATTERN", help: "Glob pattern", variadic: true)],
        options: [.flag("dry-run", help: "Show what would be deleted"),
                  .flag("yes", short: "y", help: "Do not ask for confirmation"),
                  OptionSpec("max-memory", value: .size, help: "Stop above this size"),
                  OptionSpec("offset", value: .integer, help: "Signed offset"),
                  OptionSpec("rate", value: .number, help: "Deletes per second")])

    static let bench = CommandSpec(
        "bench", summary: "Load generator",
        options: [OptionSpec("requests", short: "n", value: .count, help: "Total requests"),
                  .flag("pipeline", short: "P", help: "Pipeline requests")])

    static let health = CommandSpec("health", summary: "Server health")

    static let spec = ProgramSpec(
        name: "cachectl", version: "9.9.9", summary: "operate Redis as a cache",
        discussion: "Checks health and manages keys.\n\n  cachectl health\n  cachectl keys list 'user:*'",
        globalOptions: globals,
        commands: [health, keys, lock, invalidate, bench],
        environment: [("REDIS_URL", "connection URL"), ("NO_COLOR", "disable colour")],
        exitCodes: [(0, "success"), (1, "the answer is \"no\""), (64, "usage error")],
        examples: [Example("cachectl health --json", "Health as JSON"),
                   Example(".hidden 'quoted' \\back -- --dash", "An example that stresses roff escaping")],
        values: [("DURATION", "250ms, 30s, 5m or 1h30m; a plain number is seconds"), ("SIZE", "512, 4kb or 1mib")])

    static func parse(_ words: String...) throws(UsageError) -> ParsedCommandLine {
        try CommandLineParser.parse(words.map(Argument.init), spec: spec)
    }

    /// The error a command line produces, or nil when it parses.
    static func error(_ words: String...) -> UsageError? {
        do {
            _ = try CommandLineParser.parse(words.map(Argument.init), spec: spec)
            return nil
        } catch {
            return error
        }
    }
}
