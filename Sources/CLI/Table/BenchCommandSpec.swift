extension CommandSpec {
    /// `-n` means requests here, as in redis-benchmark: a command option shadows the global
    /// `-n, --db`, and the database stays reachable as `--db`.
    static let bench = CommandSpec(
        "bench",
        summary: "load generator comparable to redis-benchmark",
        discussion: """
        Drives -c connections from --threads event-loop threads (never a thread per \
        connection), keeping -P requests in flight on each, and reports requests per second \
        and latency percentiles (p50, p90, p99, p99.9, max) per test. Tests: ping, set, get, \
        incr; mixed (GET and SET at --ratio over -r keys, reporting the hit rate); getorset \
        (the cache-aside pattern: GET, and on a miss SET with --ttl); lock (acquire and, \
        when acquired, release, with the scripts of 'cachectl lock' and a 30s TTL); \
        ratelimit (the fixed-window check of 'cachectl ratelimit check', 100 per 60s). \
        Tests run in this order whatever order -t gives. Requests count commands: a \
        getorset miss or a lock release is a second request. As with redis-benchmark, -q \
        prints one line per test (requests per second and p50) and --csv its columns and \
        test names (PING_MBULK, SET, GET, ...).

        Every key is under bench: (after --prefix) and is deleted at the end unless --keep. \
        A database holding other keys is refused unless --yes, so that nobody benchmarks \
        production by accident. A refused or lost connection stops the run at once (exit \
        69); an error reply stops it with exit 2. SIGINT stops it after the requests in \
        flight and prints what was measured.
        """,
        options: [
            OptionSpec("tests", short: "t", value: .list(["ping", "set", "get", "incr", "mixed", "getorset", "lock", "ratelimit"]), valueName: "TESTS",
                       help: "comma-separated tests: ping,set,get,incr,mixed,getorset,lock,ratelimit (default: all)"),
            OptionSpec("clients", short: "c", value: .count, help: "connections (default 50)"),
            OptionSpec("requests", short: "n", value: .count, help: "requests per test (default 100000); the database is --db here"),
            OptionSpec("duration", value: .duration, help: "run each test this long instead of -n requests"),
            OptionSpec("pipeline", short: "P", value: .count, help: "requests in flight per connection (default 1)"),
            OptionSpec("data-size", short: "d", value: .size, help: "bytes of each SET value (default 3)"),
            OptionSpec("keyspace", short: "r", value: .count, help: "spread keys over N numbers, as redis-benchmark -r (default: one key)"),
            OptionSpec("threads", value: .count, help: "event-loop threads sharing the connections (default 1)"),
            OptionSpec("warmup", value: .duration, help: "send load this long before measuring (default 0)"),
            OptionSpec("ratio", value: .string, valueName: "GET:SET", help: "GET to SET weights of the mixed test (default 9:1)"),
            OptionSpec("ttl", value: .duration, help: "TTL of the getorset test's SET on a miss (default 5m)"),
            .flag("csv", help: "print CSV, one line per test, with redis-benchmark --csv's columns"),
            .flag("keep", help: "leave the bench: keys in place afterwards"),
            .flag("yes", help: "run even though the database holds keys outside bench:"),
            .flag("progress", help: "show the progress line even when stderr is not a terminal"),
            .flag("no-progress", help: "never show the progress line"),
        ],
        examples: [
            Example("cachectl bench -t get,set -c 50 -n 1000000 -P 16", "redis-benchmark's classic run, side by side with its figures"),
            Example("cachectl bench -t mixed --ratio 9:1 -r 100000 --duration 30s", "a read-heavy cache over 100,000 keys for 30 seconds"),
            Example("cachectl bench -t lock,ratelimit -c 20 -r 1000 --json", "the lock and rate-limit scripts of 'cachectl lock' and 'ratelimit', as JSON for CI"),
            Example("cachectl --db 15 bench -t getorset -r 10000 --csv", "cache-aside on database 15, as CSV"),
        ],
        id: .bench)
}
