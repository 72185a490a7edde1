extension CommandSpec {
    static let keys = CommandSpec(
        "keys",
        summary: "SCAN-based exploration of the keyspace, never KEYS",
        discussion: """
        Lists, groups and audits keys with SCAN, which never blocks the server the way KEYS \
        does. Memory stays the same whatever the keyspace size. --prefix is prepended to \
        every pattern and taken off every key shown.
        """,
        subcommands: [.keysList, .keysShow, .keysStats, .keysAudit, .keysExpire],
        examples: [
            Example("cachectl keys list 'tenant:*:product:*'", "stream matching keys, one per line"),
            Example("cachectl keys stats", "key counts, memory and TTLs per namespace"),
            Example("cachectl keys audit --namespace 'tenant:*' --namespace 'bull:*'", "a CI gate: every key has a TTL, fits --max-size and sits in a namespace"),
            Example("cachectl keys show session:abc", "type, TTL, size and the start of one value"),
            Example("cachectl keys expire 'tmp:*' --ttl 1h --only-missing --yes", "fix what 'keys audit' found"),
        ])

    static let keysList = CommandSpec(
        "list",
        summary: "stream the keys matching a pattern",
        discussion: """
        Prints each matching key once, one per line. A key that is not printable UTF-8 or \
        holds a newline, quote or backslash is printed quoted with escapes, as redis-cli \
        does; -0 prints raw bytes ended by NUL for xargs -0 (a key that itself holds a NUL \
        byte cannot be written that way and is skipped with a warning). --json prints one object per \
        key (NDJSON): "key" holds the key when it is valid UTF-8; otherwise "key" holds the \
        quoted form and "keyBase64" the exact bytes. --ttl and --size add columns (tab \
        separated; "ttlMs" and "sizeBytes" in JSON, ttlMs null for no TTL), fetched in the \
        same round trip as the next SCAN.
        """,
        arguments: [ArgumentSpec("PATTERN", help: "glob as for SCAN MATCH (default *)", optional: true)],
        options: [KeysOptions.type.spec, KeysOptions.scanCount.spec, KeysOptions.limit.spec, KeysOptions.ttl.spec,
                  KeysOptions.size.spec, KeysOptions.null.spec],
        examples: [
            Example("cachectl keys list 'session:*' --ttl --limit 20", "twenty session keys and their TTLs"),
            Example("cachectl keys list 'dash:*' -0 | xargs -0 -n 100 echo", "every key byte for byte, whatever it holds"),
            Example("cachectl keys list --json --size 'report:*'", "NDJSON with sizes for a script"),
        ],
        id: .keysList)

    static let keysStats = CommandSpec(
        "stats",
        summary: "key counts, memory and TTLs per namespace",
        discussion: """
        Groups keys into the shapes they have by splitting them on ':' (or --separator) and \
        deciding which segments are ids by how many different values they take below one \
        parent, not by whether they are numbers: sibling values that outnumber what follows \
        each of them and continue alike (they share a next segment, or each holds one key \
        only) merge into '*', so \
        user:alice:cart and user:bob:cart count under user:*:cart, and \
        tenant:cl1:product:p1 and tenant:cl2:product:p2 under tenant:*:product:*. First \
        segments and version segments (v1, v2) are kept (v2:user:*); segments longer than \
        24 bytes or not printable are always ids; a parent with more than 1000 values merges \
        them at once. Per namespace: keys, \
        memory (MEMORY USAGE of at most --sample keys, extrapolated beyond; marked ~), keys \
        without a TTL and the TTL spread (min, average, max). Namespaces past 10000 are \
        counted as (other).
        """,
        arguments: [ArgumentSpec("PATTERN", help: "only keys matching this glob (default *)", optional: true)],
        options: [KeysOptions.type.spec, KeysOptions.scanCount.spec, KeysOptions.depth.spec, KeysOptions.sample.spec,
                  KeysOptions.sort.spec, KeysOptions.separator.spec, KeysOptions.progress.spec, KeysOptions.noProgress.spec],
        examples: [
            Example("cachectl keys stats --sort memory", "the namespaces that use the most memory first"),
            Example("cachectl keys stats 'tenant:*' --depth 3 --json", "tenant namespaces three segments deep, as JSON"),
            Example("cachectl keys stats --separator /", "keys laid out as img/alice/avatar.png"),
        ],
        id: .keysStats)

    static let keysAudit = CommandSpec(
        "audit",
        summary: "check keys against the cache rules; exit 1 on findings",
        discussion: """
        Checks every matching key against three cache rules: a key without a TTL (no-ttl: \
        "never cache forever"), a value larger than --max-size by MEMORY USAGE (too-large), \
        and, when --namespace is given, a key outside every namespace (outside-namespace); \
        with --max-ttl, a TTL longer than that (ttl-too-long). --skip turns a rule off; keys \
        matching an --allow glob are not checked at all. Prints each finding, then a \
        summary; when there are more than 20 findings it prints one line per key shape \
        (as keys stats groups them) with its counts per rule and an example key instead, \
        unless --details. Exits 1 when anything was found, 0 when clean, so it works as a \
        CI gate. --json prints NDJSON: one object per finding ("kind":"finding") and a last \
        one with the totals and the shapes ("kind":"summary").
        """,
        arguments: [ArgumentSpec("PATTERN", help: "only keys matching this glob (default *)", optional: true)],
        options: [KeysOptions.type.spec, KeysOptions.scanCount.spec, KeysOptions.maxSize.spec, KeysOptions.namespace.spec,
                  KeysOptions.allow.spec, KeysOptions.maxTTL.spec, KeysOptions.skip.spec, KeysOptions.details.spec,
                  KeysOptions.separator.spec],
        examples: [
            Example("cachectl keys audit", "keys without a TTL or above 1mb"),
            Example("cachectl keys audit --namespace 'tenant:*' --namespace 'bull:*' --max-size 512kb -q",
                    "fail a CI job on any finding"),
            Example("cachectl keys audit --allow 'config:*' --max-ttl 7d --skip too-large", "exempt config keys; TTLs at most a week"),
        ],
        id: .keysAudit)

    static let keysShow = CommandSpec(
        "show",
        summary: "type, TTL, encoding, memory, length and the start of each KEY's value",
        discussion: """
        Shows each KEY: its type, TTL, encoding (OBJECT ENCODING) and memory (MEMORY USAGE) \
        (both n/a when refused), its length (bytes, fields, members, elements or entries) \
        and a preview that never fetches a huge value whole: the first --bytes of a string \
        (GETRANGE), the first --items fields, members, elements or entries of a hash (HSCAN), \
        set (SSCAN), sorted set (ZRANGE), list (LRANGE) or stream (XRANGE). Keys and values \
        that are not printable are quoted as keys list quotes them. --json prints one object \
        per key (NDJSON); a string value that is whole JSON is embedded as "json", pretty \
        printed in the human output. Exits 1 when a KEY does not exist (after showing the others).
        """,
        arguments: [ArgumentSpec("KEY", help: "keys to show", variadic: true)],
        options: [KeysOptions.bytes.spec, KeysOptions.items.spec],
        examples: [
            Example("cachectl keys show session:abc user:42:cart", "two keys, one block each"),
            Example("cachectl keys show config:flags --json", "as JSON, the value parsed when it is JSON"),
        ],
        id: .keysShow)

    static let keysExpire = CommandSpec(
        "expire",
        summary: "give the keys matching a pattern a TTL",
        discussion: """
        Gives every key matching PATTERN the TTL --ttl with PEXPIRE, scanning with SCAN and \
        writing in pipelined batches paced as invalidate is: sized to the server's load \
        (--max-latency-ms of server time for all commands in flight while others use it; --batch and \
        --count fix the sizes, --no-throttle uses 1000), at most --rate keys a second. \
        --only-missing leaves keys that already have a TTL alone, atomically with PEXPIRE NX \
        on Redis 7.0 and later; older servers get a PTTL check just before (a TTL set in \
        between is replaced). --dry-run counts what would change and shows --sample of it. \
        On a terminal it asks first; without one it needs --yes. The summary counts keys \
        matched (found by the scan), updated (given the TTL), kept (had a TTL already) and \
        vanished (gone before the write). SIGINT or SIGTERM stop after the batch in flight \
        with a true partial summary.
        """,
        arguments: [ArgumentSpec("PATTERN", help: "glob as for SCAN MATCH")],
        options: [KeysOptions.expireTTL.spec, KeysOptions.onlyMissing.spec, KeysOptions.dryRun.spec, KeysOptions.drySample.spec,
                  SharedOptions.yes.spec, KeysOptions.type.spec, KeysOptions.scanCount.spec, KeysOptions.expireLimit.spec,
                  KeysOptions.rate.spec, KeysOptions.batch.spec, KeysOptions.maxLatencyMs.spec, KeysOptions.noThrottle.spec,
                  KeysOptions.progress.spec, KeysOptions.noProgress.spec],
        examples: [
            Example("cachectl keys expire 'tmp:*' --ttl 1h --only-missing --dry-run", "how many keys have no TTL"),
            Example("cachectl keys expire 'tmp:*' --ttl 1h --only-missing --yes", "fix the no-ttl findings of keys audit"),
        ],
        id: .keysExpire)
}

/// The options of the keys commands; `type`, `count` and the progress flags are shared
/// with invalidate.
public enum KeysOptions {
    public static let type = Option<String?>.choice("type", among: ["string", "hash", "list", "set", "zset", "stream"],
                                                    help: "only keys of this type (SCAN TYPE)")
    /// Absent, SCAN walks are paced to the server's load (gentle by default).
    public static let scanCount = Option<Int?>.count("count", range: .atLeast(1), absent: "paced to the server's load, up to 1000",
                                                     help: "SCAN COUNT hint, fixed")
    public static let progress = Option.flag("progress", help: "show progress on stderr even when it is not a terminal")
    public static let noProgress = Option.flag("no-progress", help: "never show progress")

    public static let limit = Option<Int?>.count("limit", range: .atLeast(1), absent: "all", help: "stop after N keys")
    public static let ttl = Option.flag("ttl", help: "add each key's time to live (PTTL)")
    public static let size = Option.flag("size", help: "add each key's memory use in bytes (MEMORY USAGE)")
    public static let null = Option.flag("null", short: "0", help: "print raw key bytes, each ended by NUL (for xargs -0)")

    public static let depth = Option<Int?>.count("depth", range: .atLeast(1), absent: "all",
                                                 help: "keep at most N segments of each key")
    public static let sample = Option<Int>.count("sample", default: 100,
                                                 help: "measure the memory of at most N keys per namespace")
    public static let sort = Option<String>.choice("sort", among: ["count", "memory"], default: "count",
                                                   help: "order namespaces by key count or memory")

    public static let maxSize = Option<Int>.size("max-size", default: 1 << 20, help: "largest allowed value")
    public static let namespace = Option<[[UInt8]]>.repeatedBytes("namespace", valueName: "PATTERN",
                                                                  help: "a glob every key must match one of")
    public static let allow = Option<[[UInt8]]>.repeatedBytes("allow", valueName: "PATTERN",
                                                              help: "exempt keys matching this glob from every rule")
    public static let maxTTL = Option<Duration?>.duration("max-ttl", range: .atLeast(.milliseconds(1)), absent: "off",
                                                          help: "longest allowed TTL (rule ttl-too-long)")
    /// Repeatable, each one of the rule names.
    public static let skip: Option<[String]> = {
        let spec = OptionSpec("skip", value: .choice(["no-ttl", "too-large", "outside-namespace", "ttl-too-long"]),
                              valueName: "RULE", help: "do not check this rule", repeatable: true)
        return Option(spec: spec) { $0.arguments(of: spec).map(\.text) }
    }()
    public static let details = Option.flag("details", help: "one line per finding however many there are")
    public static let separator = Option<String>.choice("separator", among: [":", "/", ".", "_"], default: ":",
                                                        help: "what splits keys into segments")

    public static let bytes = Option<Int>.size("bytes", default: 1024, help: "bytes of a string value to show")
    public static let items = Option<Int>.count("items", default: 10, range: .atLeast(1),
                                                help: "fields, members, elements or entries to show")

    public static let expireTTL = Option<Duration?>.duration("ttl", range: .atLeast(.milliseconds(1)), help: "the TTL to give (required)")
    public static let onlyMissing = Option.flag("only-missing", help: "only keys without a TTL")
    public static let dryRun = Option.flag("dry-run", help: "count and show what would change; change nothing")
    public static let drySample = Option<Int>.count("sample", default: 10, help: "keys to show in a dry run")
    public static let expireLimit = Option<Int?>.count("limit", range: .atLeast(1), absent: "all", help: "stop after N matching keys")
    public static let rate = Option<Double?>.number("rate", valueName: "KEYS_PER_SEC", range: Bounds(0.001...1_000_000_000),
                                                    help: "change at most this many keys a second")
    public static let batch = Option<Int?>.count("batch", range: .atLeast(1), absent: "paced to the server's load",
                                                 help: "keys per PEXPIRE batch, fixed")
    public static let maxLatencyMs = InvalidateOptions.maxLatencyMs
    public static let noThrottle = Option.flag("no-throttle", help: "full-size batches whatever the load")
}
