extension CommandSpec {
    static let keys = CommandSpec(
        "keys",
        summary: "SCAN-based exploration of the keyspace, never KEYS",
        discussion: """
        Lists, groups and audits keys with SCAN, which never blocks the server the way KEYS \
        does. Memory stays the same whatever the keyspace size. --prefix is prepended to \
        every pattern and taken off every key shown.
        """,
        subcommands: [.keysList, .keysStats, .keysAudit],
        examples: [
            Example("cachectl keys list 'tenant:*:product:*'", "stream matching keys, one per line"),
            Example("cachectl keys stats", "key counts, memory and TTLs per namespace"),
            Example("cachectl keys audit --namespace 'tenant:*' --namespace 'bull:*'", "a CI gate: every key has a TTL, fits --max-size and sits in a namespace"),
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
        Groups keys into namespaces by splitting them on ':' and replacing id-like segments \
        (holding a digit, longer than 24 bytes, or not printable) with '*', so \
        tenant:cl123:product:p456 counts under tenant:*:product:*. Per namespace: keys, \
        memory (MEMORY USAGE of at most --sample keys, extrapolated beyond; marked ~), keys \
        without a TTL and the TTL spread (min, average, max). Namespaces past 10000 are \
        counted as (other).
        """,
        arguments: [ArgumentSpec("PATTERN", help: "only keys matching this glob (default *)", optional: true)],
        options: [KeysOptions.type.spec, KeysOptions.scanCount.spec, KeysOptions.depth.spec, KeysOptions.sample.spec,
                  KeysOptions.sort.spec, KeysOptions.progress.spec, KeysOptions.noProgress.spec],
        examples: [
            Example("cachectl keys stats --sort memory", "the namespaces that use the most memory first"),
            Example("cachectl keys stats 'tenant:*' --depth 3 --json", "tenant namespaces three segments deep, as JSON"),
        ],
        id: .keysStats)

    static let keysAudit = CommandSpec(
        "audit",
        summary: "check keys against the cache rules; exit 1 on findings",
        discussion: """
        Checks every matching key against three cache rules: a key without a TTL (no-ttl: \
        "never cache forever"), a value larger than --max-size by MEMORY USAGE (too-large), \
        and, when --namespace is given, a key outside every namespace (outside-namespace). \
        Prints each finding, then a summary. Exits 1 when anything was found, 0 when clean, \
        so it works as a CI gate. --json prints NDJSON: one object per finding \
        ("kind":"finding") and a last one with the totals ("kind":"summary").
        """,
        arguments: [ArgumentSpec("PATTERN", help: "only keys matching this glob (default *)", optional: true)],
        options: [KeysOptions.type.spec, KeysOptions.scanCount.spec, KeysOptions.maxSize.spec, KeysOptions.namespace.spec],
        examples: [
            Example("cachectl keys audit", "keys without a TTL or above 1mb"),
            Example("cachectl keys audit --namespace 'tenant:*' --namespace 'bull:*' --max-size 512kb -q",
                    "fail a CI job on any finding"),
        ],
        id: .keysAudit)
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
}
