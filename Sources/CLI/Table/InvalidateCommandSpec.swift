extension CommandSpec {
    static let invalidate = CommandSpec(
        "invalidate",
        summary: "delete by pattern, key list or tag: dry-run, throttle, publish event",
        discussion: """
        Deletes the keys matching each PATTERN with SCAN MATCH and UNLINK (DEL on servers \
        without UNLINK), batched and pipelined so that scanning the next batch overlaps \
        deleting the last. Keys can also be named (--key, --keys-from) or found through a tag \
        set (--tag: every key in the set, then the set). --prefix applies to patterns, keys, \
        tag sets and tag members.

        Safety: on a terminal it asks before deleting, naming the patterns and the database \
        size; without one it needs --yes. A pattern matching every key ('*') also needs \
        --force. --dry-run counts what would go and shows --sample of it. --rate and \
        --max-latency-ms keep a cron job from hurting production.

        SIGINT or SIGTERM stops after the batch in flight and prints a true partial summary \
        (exit 130 or 143); running the same command again finishes the job. A lost \
        connection exits 69 with the partial summary. --json prints the summary as one \
        object; --publish sends an event such as {"type":"pattern","patterns":["dash:*"],\
        "deleted":1234} to application nodes (for example the channel cache:invalidate).
        """,
        arguments: [ArgumentSpec("PATTERN", help: "globs as for SCAN MATCH", optional: true, variadic: true)],
        options: [
            .flag("dry-run", help: "count and show what would be deleted; delete nothing"),
            OptionSpec("sample", value: .count, help: "keys to show in a dry run (default 10)"),
            .flag("yes", short: "y", help: "delete without asking (required when stdin is not a terminal)"),
            .flag("force", help: "allow a pattern that matches every key"),
            OptionSpec("key", value: .string, valueName: "KEY", help: "delete this key", repeatable: true),
            OptionSpec("keys-from", value: .file, help: "delete the keys listed in FILE, one per line as keys list prints them ('-': stdin)"),
            .flag("null", short: "0", help: "--keys-from records are NUL-separated raw bytes (keys list -0)"),
            OptionSpec("tag", value: .string, valueName: "NAME", help: "delete every key in the tag's set, then the set",
                       repeatable: true),
            OptionSpec("tag-key", value: .string, valueName: "FORMAT", help: "the tag set's key, {tag} standing for the name (default tag:{tag})"),
            OptionSpec("publish", value: .string, valueName: "CHANNEL", help: "publish a JSON invalidation event on CHANNEL after the run"),
            OptionSpec("batch", value: .count, help: "keys per UNLINK (default 1000)"),
            KeysOptions.scanCount.spec,
            KeysOptions.type.spec,
            OptionSpec("limit", value: .count, help: "stop after N matching keys"),
            OptionSpec("rate", value: .number, valueName: "KEYS_PER_SEC", help: "delete at most this many keys a second"),
            OptionSpec("max-latency-ms", value: .number, valueName: "MS", help: "pause while the server's PING latency is above MS"),
            KeysOptions.progress.spec, KeysOptions.noProgress.spec,
        ],
        examples: [
            Example("cachectl invalidate 'dash:*' --dry-run", "how many keys would go, and a sample of them"),
            Example("cachectl invalidate 'dash:*' --yes --publish cache:invalidate", "delete and tell the application nodes"),
            Example("cachectl invalidate 'report:*' --yes --rate 5000 --max-latency-ms 5", "a gentle cron job"),
            Example("cachectl invalidate --tag customer:42 --yes", "every key tagged customer:42 (set tag:customer:42)"),
            Example("cachectl keys list 'tmp:*' -0 | cachectl invalidate --keys-from - -0 --yes", "delete exactly the keys listed"),
        ],
        id: .invalidate)
}
