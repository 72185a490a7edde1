extension CommandSpec {
    /// `-n` is `--db` here as everywhere: redis-benchmark's `-n` is `--requests`.
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
        Tests run in this order whatever order -t gives. --requests is redis-benchmark's -n \
        (-n is --db here too, as in every cachectl command). Requests count commands: a \
        getorset miss or a lock release is a second request. As with redis-benchmark, -q \
        prints one line per test (requests per second and p50) and --csv its columns and \
        test names (PING_MBULK, SET, GET, ...).

        Every key is under bench: (after --prefix) and is deleted at the end unless --keep. \
        A database holding other keys is refused unless --yes, so that nobody benchmarks \
        production by accident. A refused or lost connection stops the run at once (exit \
        69); an error reply stops it with exit 2. SIGINT stops it after the requests in \
        flight and prints what was measured.
        """,
        options: BenchOptions.all,
        examples: [
            Example("cachectl bench -t get,set -c 50 --requests 1000000 -P 16", "redis-benchmark's classic run (its -n is --requests), side by side with its figures"),
            Example("cachectl bench -t mixed --ratio 9:1 -r 100000 --duration 30s", "a read-heavy cache over 100,000 keys for 30 seconds"),
            Example("cachectl bench -t lock,ratelimit -c 20 -r 1000 --json", "the lock and rate-limit scripts of 'cachectl lock' and 'ratelimit', as JSON for CI"),
            Example("cachectl --db 15 bench -t getorset -r 10000 --csv", "cache-aside on database 15, as CSV"),
        ],
        id: .bench)
}

/// The options of `bench`, each declared once; letters follow redis-benchmark where they
/// do not clash with cachectl's global ones.
public enum BenchOptions {
    public static let tests = Option<String?>.string(
        "tests", short: "t", kind: .list(["ping", "set", "get", "incr", "mixed", "getorset", "lock", "ratelimit"]),
        valueName: "TESTS", absent: "all", help: "comma-separated tests: ping,set,get,incr,mixed,getorset,lock,ratelimit")
    public static let clients = Option<Int>.count("clients", short: "c", default: 50, range: .atLeast(1), help: "connections")
    public static let requests = Option<Int>.count("requests", default: 100_000, range: .atLeast(1),
                                                   help: "requests per test (redis-benchmark's -n)")
    public static let duration = Option<Duration?>.duration("duration", range: .atLeast(.milliseconds(1)),
                                                            help: "run each test this long instead of --requests")
    public static let pipeline = Option<Int>.count("pipeline", short: "P", default: 1, range: .atLeast(1),
                                                   help: "requests in flight per connection")
    public static let dataSize = Option<Int>.size("data-size", short: "d", default: 3, range: .atLeast(1),
                                                  help: "bytes of each SET value")
    public static let keyspace = Option<Int?>.count("keyspace", short: "r", range: .atLeast(1), absent: "one key",
                                                    help: "spread keys over N numbers, as redis-benchmark -r")
    public static let threads = Option<Int>.count("threads", default: 1, range: .atLeast(1),
                                                  help: "event-loop threads sharing the connections")
    public static let warmup = Option<Duration>.duration("warmup", default: .zero, help: "send load this long before measuring")
    public static let ratio = Option<String?>.string("ratio", valueName: "GET:SET", absent: "9:1",
                                                     help: "GET to SET weights of the mixed test")
    public static let ttl = Option<Duration>.duration("ttl", default: .seconds(300), range: .atLeast(.seconds(1)),
                                                      help: "TTL of the getorset test's SET on a miss, whole seconds")
    public static let csv = Option.flag("csv", help: "print CSV, one line per test, with redis-benchmark --csv's columns")
    public static let keep = Option.flag("keep", help: "leave the bench: keys in place afterwards")
    public static let yes = Option.flag("yes", short: "y", help: "run even though the database holds keys outside bench:")
    public static let progress = Option.flag("progress", help: "show the progress line even when stderr is not a terminal")
    public static let noProgress = Option.flag("no-progress", help: "never show the progress line")

    static let all = [tests.spec, clients.spec, requests.spec, duration.spec, pipeline.spec, dataSize.spec, keyspace.spec,
                      threads.spec, warmup.spec, ratio.spec, ttl.spec, csv.spec, keep.spec, yes.spec, progress.spec,
                      noProgress.spec]
}
