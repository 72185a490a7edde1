extension CommandSpec {
    static let cache = CommandSpec(
        "cache",
        summary: "cache-aside from the shell: get, set, and fetch (getOrSet)",
        discussion: """
        Values are plain Redis strings at KEY (after --prefix), read and written as an \
        application's get, setex and getOrSet do, and binary-safe: stdout carries the value's bytes \
        exactly, with no newline added. Nothing is cached forever by default: set and \
        fetch need --ttl (set accepts --no-ttl to say so on purpose).
        """,
        subcommands: [.cacheGet, .cacheSet, .cacheFetch],
        examples: [
            Example("cachectl cache fetch tenant:7:stats --ttl 5m -- ./stats.sh 7", "compute once, serve from the cache for 5 minutes"),
            Example("cachectl cache get user:1 --json", "the value with its type and TTL"),
            Example("./render.sh | cachectl cache set page:home - --ttl 1h", "store stdin"),
        ])

    static let cacheGet = CommandSpec(
        "get",
        summary: "print a cached value; exit 1 when absent",
        discussion: """
        Prints the value's bytes exactly (GET). Exits 1 when the key does not exist, and \
        2 when it holds another type (named in the message). --json prints {key, found, \
        type, ttlMs, ttl, value}: ttl in seconds rounded up, both null when the key never \
        expires; a value that is not valid UTF-8 is in valueBase64 (value then holds its \
        quoted form), as keys are in JSON.
        """,
        arguments: [ArgumentSpec("KEY", help: "the key (after --prefix)")],
        examples: [Example("v=$(cachectl cache get user:1) || echo miss", "exit 1 on a miss")],
        id: .cacheGet)

    static let cacheSet = CommandSpec(
        "set",
        summary: "store a value with a TTL",
        discussion: """
        Stores VALUE, or standard input when VALUE is - or left out (binary-safe, at most \
        512mb, Redis's limit), with SET PX. --ttl is required unless --no-ttl says the value \
        is meant to never expire; a value set with --no-ttl also loses any earlier TTL.
        """,
        arguments: [ArgumentSpec("KEY", help: "the key (after --prefix)"),
                    ArgumentSpec("VALUE", help: "the value; - or nothing reads standard input", optional: true)],
        options: [CacheOptions.setTTL.spec, CacheOptions.noTTL.spec],
        examples: [
            Example("cachectl cache set feature:flags '{\"beta\":true}' --ttl 10m", "a value from the command line"),
            Example("gzip -c report.json | cachectl cache set report:gz - --ttl 1d", "binary data from stdin"),
        ],
        id: .cacheSet)

    static let cacheFetch = CommandSpec(
        "fetch",
        summary: "getOrSet: print the cached value, or compute it once with COMMAND",
        discussion: """
        On a hit, prints the cached bytes. On a miss, one caller takes the stampede lock, \
        runs COMMAND (directly, without a shell, in its own process group; stderr passes \
        through), and stores its standard output with --ttl only when it exits 0; the \
        others wait up to --wait, reading the key until the value appears, then print it. \
        The exit code is COMMAND's: a failing command stores nothing and prints what it \
        wrote. The runner renews the lock every third of --lock-ttl while COMMAND runs, \
        and stores only while the lock is still its own (checked in the script that \
        writes), so a runner whose lock was lost never overwrites a newer value. SIGINT, \
        SIGTERM, SIGHUP and SIGQUIT are forwarded to COMMAND's process group. Standard \
        output beyond --max-size (default 512mb, Redis's limit for a string) stops the \
        command and exits 65, storing nothing. --json prints {key, source, stored, \
        commandExitCode, ttlMs, ttl, value} instead of the bytes; source is hit, \
        computed, failed or stale.

        --refresh-ahead [DURATION]: a caller that finds less than DURATION left (default a \
        fifth of --ttl) recomputes early, if it gets the lock without waiting; every other \
        caller keeps serving the current value meanwhile, so a hot key never makes its \
        callers wait. A failed refresh serves the current value (with a warning, exit 0).

        --stale-if-error [DURATION]: every store also writes a stale copy that lives \
        DURATION (default 1h) past --ttl; when COMMAND fails, or --wait runs out, the stale copy is \
        served (with a warning, exit 0) instead. Give it on every fetch of that key.

        Key layout, all under the prefix and in the value's cluster slot: the value at \
        KEY; the stampede lock at lock:cache:{KEY} (a lock NAME cache:{KEY} that lock \
        status can show); the stale copy at stale:{KEY}. When KEY already has a hash tag \
        ({tenant1}:x) the braces are not added and the tag decides the slot. A KEY with a \
        brace outside a complete hash tag is refused (64). The stampede lock has no \
        fencing counter: it would be a key kept forever per cached key.
        """,
        arguments: [ArgumentSpec("KEY", help: "the key (after --prefix)")],
        options: [CacheOptions.fetchTTL.spec, CacheOptions.wait.spec, CacheOptions.lockTTL.spec,
                  CacheOptions.refreshAhead.spec, CacheOptions.staleIfError.spec, CacheOptions.maxSize.spec],
        examples: [
            Example("cachectl cache fetch rates:eur --ttl 60s -- curl -fsS https://rates.example/eur",
                    "one request per minute, however many callers"),
            Example("cachectl cache fetch report --ttl 1h --refresh-ahead 5m --stale-if-error 1d -- ./report.sh",
                    "refresh in the last 5 minutes; serve yesterday's report if it fails"),
        ],
        passthrough: true,
        id: .cacheFetch)
}

/// The options of the cache subcommands, each declared once.
public enum CacheOptions {
    /// `cache set --ttl`: required unless --no-ttl, so without a default.
    public static let setTTL = Option<Duration?>.duration("ttl", range: .atLeast(.milliseconds(1)), absent: "needs --no-ttl",
                                                          help: "how long the value lives")
    public static let noTTL = Option.flag("no-ttl", help: "store without expiry, on purpose")
    /// `cache fetch --ttl`: required; nothing is cached forever.
    public static let fetchTTL = Option<Duration?>.duration("ttl", range: .atLeast(.milliseconds(1)),
                                                            help: "how long a computed value lives").required()
    public static let wait = Option<Duration>.duration("wait", default: .seconds(30),
                                                       help: "how long to wait for another caller's value")
    /// Renewed every third of it while COMMAND runs: shorter would be all renewal.
    public static let lockTTL = Option<Duration>.duration("lock-ttl", default: .seconds(30), range: .atLeast(.milliseconds(100)),
                                                          help: "the stampede lock's TTL, renewed while COMMAND runs")
    /// Given alone it reads `.zero`, which the command turns into a fifth of --ttl (a
    /// given DURATION is at least 1ms, so zero can only mean "alone").
    public static let refreshAhead: Option<Duration?> = {
        let spec = OptionSpec("refresh-ahead", value: .duration, valueName: OptionSpec.optionalValueName(for: .duration),
                              help: "recompute early when less than DURATION is left", defaultText: "ttl/5",
                              bounds: OptionReading.durationBounds(.atLeast(.milliseconds(1))), optionalValue: true)
        return Option(spec: spec) { parsed in
            guard parsed.isPresent(spec) else { return nil }
            return parsed.arguments(of: spec).last.flatMap(OptionReading.duration) ?? .zero
        }
    }()
    public static let staleIfError = Option<Duration?>.optionalDuration(
        "stale-if-error", bare: .seconds(3600), range: .atLeast(.milliseconds(1)),
        help: "keep a stale copy this long past the TTL and serve it when COMMAND fails")
    /// Redis refuses strings above 512 MB (proto-max-bulk-len's default).
    public static let maxValueBytes = 512 * 1024 * 1024
    public static let maxSize = Option<Int>.size("max-size", default: maxValueBytes, range: Bounds(0...maxValueBytes),
                                                 help: "most standard output kept")
}
