extension CommandSpec {
    static let health = CommandSpec(
        "health",
        summary: "latency, memory, hit rate, version and role; thresholds give exit 1",
        discussion: """
        Pings the server --samples times and reads INFO and SLOWLOG LEN in one round trip. \
        Each threshold that is not met is listed on stderr and makes the exit code 1, so \
        `cachectl health --max-latency-ms 50` works as a monitoring probe.
        """,
        options: [
            OptionSpec("samples", value: .count, help: "number of PINGs for the latency figures (default 5)"),
            OptionSpec("max-latency-ms", value: .number, valueName: "MS", help: "breach when the slowest PING takes longer"),
            OptionSpec("min-hit-rate", value: .number, valueName: "PERCENT", help: "breach when keyspace hits / lookups is lower (0-100)"),
            OptionSpec("max-memory-pct", value: .number, valueName: "PERCENT", help: "breach when used memory is above this share of maxmemory (0-100)"),
        ],
        examples: [
            Example("cachectl health", "show the server's health as a table"),
            Example("cachectl -u redis://cache:6379 health --json", "the same as JSON for a script"),
            Example("cachectl health --max-latency-ms 20 --min-hit-rate 80 -q", "a monitoring probe: exit 1 on any breach"),
        ],
        id: .health)
}
