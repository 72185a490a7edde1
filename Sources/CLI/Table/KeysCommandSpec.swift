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
        options: [
            KeysOptions.type, KeysOptions.scanCount,
            OptionSpec("limit", value: .count, help: "stop after N keys"),
            .flag("ttl", help: "add each key's time to live (PTTL)"),
            .flag("size", help: "add each key's memory use in bytes (MEMORY USAGE)"),
            .flag("null", short: "0", help: "print raw key bytes, each ended by NUL (for xargs -0)"),
        ],
        examples: [
            Example("cachectl keys list 'session:*' --ttl --limit 20", "twenty session keys and their TTLs"),
            Example("cachectl keys list 'dash:*' -0 | xargs -0 -n 100 echo", "every key byte for byte, whatever it holds"),
            Example("cachectl keys list --json --size 'report:*'", "NDJSON with sizes for a script"),
        ])

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
        options: [
            KeysOptions.type, KeysOptions.scanCount,
            OptionSpec("depth", value: .count, help: "keep at most N segments of each key (default: all)"),
            OptionSpec("sample", value: .count, help: "measure the memory of at most N keys per namespace (default 100)"),
            OptionSpec("sort", value: .choice(["count", "memory"]), help: "order namespaces by key count (default) or memory"),
            KeysOptions.separator,
            KeysOptions.progress, KeysOptions.noProgress,
        ],
        examples: [
            Example("cachectl keys stats --sort memory", "the namespaces that use the most memory first"),
            Example("cachectl keys stats 'tenant:*' --depth 3 --json", "tenant namespaces three segments deep, as JSON"),
            Example("cachectl keys stats --separator /", "keys laid out as img/alice/avatar.png"),
        ])

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
        options: [
            KeysOptions.type, KeysOptions.scanCount,
            OptionSpec("max-size", value: .size, help: "largest allowed value (default 1mb)"),
            OptionSpec("namespace", value: .string, valueName: "PATTERN",
                       help: "a glob every key must match one of", repeatable: true),
            OptionSpec("allow", value: .string, valueName: "PATTERN",
                       help: "exempt keys matching this glob from every rule", repeatable: true),
            OptionSpec("max-ttl", value: .duration, help: "longest allowed TTL (rule ttl-too-long; off unless given)"),
            OptionSpec("skip", value: .choice(["no-ttl", "too-large", "outside-namespace", "ttl-too-long"]), valueName: "RULE",
                       help: "do not check this rule", repeatable: true),
            .flag("details", help: "one line per finding however many there are"),
            KeysOptions.separator,
        ],
        examples: [
            Example("cachectl keys audit", "keys without a TTL or above 1mb"),
            Example("cachectl keys audit --namespace 'tenant:*' --namespace 'bull:*' --max-size 512kb -q",
                    "fail a CI job on any finding"),
            Example("cachectl keys audit --allow 'config:*' --max-ttl 7d --skip too-large", "exempt config keys; TTLs at most a week"),
        ])

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
        options: [
            OptionSpec("bytes", value: .size, help: "bytes of a string value to show (default 1kb)"),
            OptionSpec("items", value: .count, help: "fields, members, elements or entries to show (default 10)"),
        ],
        examples: [
            Example("cachectl keys show session:abc user:42:cart", "two keys, one block each"),
            Example("cachectl keys show config:flags --json", "as JSON, the value parsed when it is JSON"),
        ])

    static let keysExpire = CommandSpec(
        "expire",
        summary: "give the keys matching a pattern a TTL",
        discussion: """
        Gives every key matching PATTERN the TTL --ttl with PEXPIRE, scanning with SCAN and \
        writing in pipelined batches paced as invalidate is: sized to the server's load \
        (--max-latency-ms of server time per command while others use it; --batch and \
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
        options: [
            OptionSpec("ttl", value: .duration, help: "the TTL to give (required)"),
            .flag("only-missing", help: "only keys without a TTL"),
            .flag("dry-run", help: "count and show what would change; change nothing"),
            OptionSpec("sample", value: .count, help: "keys to show in a dry run (default 10)"),
            .flag("yes", short: "y", help: "do not ask (required when stdin is not a terminal)"),
            KeysOptions.type, KeysOptions.scanCount,
            OptionSpec("limit", value: .count, help: "stop after N matching keys"),
            OptionSpec("rate", value: .number, valueName: "KEYS_PER_SEC", help: "change at most this many keys a second"),
            OptionSpec("batch", value: .count, help: "keys per PEXPIRE batch, fixed (default: paced to the server's load)"),
            OptionSpec("max-latency-ms", value: .number, valueName: "MS",
                       help: "server time one command of ours may take while others use the server (default 0.1)"),
            .flag("no-throttle", help: "full-size batches whatever the load"),
            KeysOptions.progress, KeysOptions.noProgress,
        ],
        examples: [
            Example("cachectl keys expire 'tmp:*' --ttl 1h --only-missing --dry-run", "how many keys have no TTL"),
            Example("cachectl keys expire 'tmp:*' --ttl 1h --only-missing --yes", "fix the no-ttl findings of keys audit"),
        ])
}

/// Options several keyspace commands share, written once.
enum KeysOptions {
    static let type = OptionSpec("type", value: .choice(["string", "hash", "list", "set", "zset", "stream"]),
                                 help: "only keys of this type (SCAN TYPE)")
    static let scanCount = OptionSpec("count", value: .count, help: "SCAN COUNT hint, fixed (default: paced to the server's load, up to 1000)")
    static let progress = OptionSpec.flag("progress", help: "show progress on stderr even when it is not a terminal")
    static let noProgress = OptionSpec.flag("no-progress", help: "never show progress")
    static let separator = OptionSpec("separator", value: .choice([":", "/", ".", "_"]), valueName: "CHAR",
                                      help: "what splits keys into segments (default :)")
}
