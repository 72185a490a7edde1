extension CommandSpec {
    static let invalidate = CommandSpec(
        "invalidate",
        summary: "delete by pattern, key list or tag: dry-run, throttle, publish event",
        discussion: """
        Deletes the keys matching each PATTERN with SCAN MATCH and UNLINK (DEL on servers \
        without UNLINK), batched and pipelined so that scanning the next batch overlaps \
        deleting the last. Keys can also be named (--key, --keys-from) or found through a tag \
        set (--tag: every key in the set, each removed from the set in the same transaction, \
        so the set goes when empty and keeps members added meanwhile). When the set holds ids \
        rather than keys, --member-key names the key each id stands for: --tag 7 --tag-key \
        'session:user:{tag}' --member-key 'session:{member}' revokes user 7's sessions (as \
        session revoke does). --prefix applies to patterns, keys, tag sets and tag members.

        Safety: on a terminal it asks before deleting, naming the patterns and how many \
        keys the database holds (not how many match: --dry-run counts those); without one \
        it needs --yes. A pattern matching every key ('*') also needs \
        --force (a --dry-run never does). --dry-run counts what would go and shows --sample of it.

        Gentle by default: while other clients use the server, each SCAN COUNT and UNLINK \
        batch is sized from the server's measured time per key (INFO commandstats, read every \
        50 ms on a second connection) so that our one write in flight takes about \
        --max-latency-ms of server time (0.15 ms), the most another client waits behind us; \
        on an idle server sizes grow back to 1000. Each cluster primary is paced on its own. \
        While pacing, the process is a batch job for the Linux scheduler (SCHED_BATCH), so \
        on the Redis host its wakeups do not preempt redis-server. \
        --rate is a hard cap on keys a second; --batch and --count fix the sizes; \
        --no-throttle (maintenance windows) always uses 1000, which makes other clients wait \
        up to 1-2 ms behind each command.

        SIGINT or SIGTERM stops after the batch in flight and prints a true partial summary \
        (exit 130 or 143); running the same command again finishes the job. A lost \
        connection exits 69 with the partial summary (deleted then a lower bound when replies \
        were lost). A wrong type, a read-only replica or an ACL refusal exits 2 or 77 naming \
        what must change: a rerun would not help. --json prints the summary as one \
        object; --publish sends an event such as {"type":"pattern","patterns":["dash:*"],\
        "deleted":1234} to application nodes (for example the channel cache:invalidate).
        """,
        arguments: [ArgumentSpec("PATTERN", help: "globs as for SCAN MATCH", optional: true, variadic: true)],
        options: InvalidateOptions.all,
        examples: [
            Example("cachectl invalidate 'dash:*' --dry-run", "how many keys would go, and a sample of them"),
            Example("cachectl invalidate 'dash:*' --yes --publish cache:invalidate", "delete and tell the application nodes"),
            Example("cachectl invalidate 'report:*' --yes --rate 5000", "at most 5000 keys a second, paced as well"),
            Example("cachectl invalidate --tag customer:42 --yes", "every key tagged customer:42 (set tag:customer:42)"),
            Example("cachectl invalidate --tag 7 --tag-key 'session:user:{tag}' --member-key 'session:{member}' --yes",
                    "every session:ID named in the set session:user:7, then the set"),
            Example("cachectl keys list 'tmp:*' -0 | cachectl invalidate --keys-from - -0 --yes", "delete exactly the keys listed"),
        ],
        id: .invalidate)
}

/// The options of `invalidate`, each declared once (`--count`, `--type` and the progress
/// flags are the keys commands').
public enum InvalidateOptions {
    public static let dryRun = Option.flag("dry-run", help: "count and show what would be deleted; delete nothing")
    public static let sample = Option<Int>.count("sample", default: 10, help: "keys to show in a dry run")
    public static let yes = Option.flag("yes", short: "y", help: "delete without asking (required when stdin is not a terminal)")
    public static let force = Option.flag("force", help: "allow a pattern that matches every key")
    public static let key = Option<[[UInt8]]>.repeatedBytes("key", valueName: "KEY", help: "delete this key")
    public static let keysFrom = Option<String?>.string(
        "keys-from", kind: .file, help: "delete the keys listed in FILE, one per line as keys list prints them ('-': stdin)")
    public static let null = Option.flag("null", short: "0", help: "--keys-from records are NUL-separated raw bytes (keys list -0)")
    public static let tag = Option<[[UInt8]]>.repeatedBytes(
        "tag", valueName: "NAME", help: "delete every key in the tag's set, removing each from the set (gone when empty)")
    public static let tagKey = Option<[UInt8]?>.bytes("tag-key", valueName: "FORMAT", absent: "tag:{tag}",
                                                      help: "the tag set's key, {tag} standing for the name")
    public static let memberKey = Option<[UInt8]?>.bytes("member-key", valueName: "FORMAT", absent: "the member is the key",
                                                         help: "the key each tag member names, {member} standing for it")
    public static let publish = Option<[UInt8]?>.bytes("publish", valueName: "CHANNEL",
                                                       help: "publish a JSON invalidation event on CHANNEL after the run")
    public static let batch = Option<Int?>.count("batch", range: .atLeast(1), absent: "paced to the server's load",
                                                 help: "keys per UNLINK, fixed")
    public static let limit = Option<Int?>.count("limit", range: .atLeast(1), absent: "all", help: "stop after N matching keys")
    public static let rate = Option<Double?>.number("rate", valueName: "KEYS_PER_SEC", range: Bounds(0.001...1_000_000_000),
                                                    help: "delete at most this many keys a second")
    public static let maxLatencyMs = Option<Double?>.number(
        "max-latency-ms", valueName: "MS", range: Bounds(0.001...86_400_000), absent: "0.15",  // PacingController.Settings.defaultBudget (a test checks)
        help: "server time all our commands in flight may take together while others use the server")
    public static let noThrottle = Option.flag(
        "no-throttle", help: "full-size commands whatever the load: faster, but others wait up to ~1-2 ms behind each")

    static let all = [dryRun.spec, sample.spec, yes.spec, force.spec, key.spec, keysFrom.spec, null.spec, tag.spec, tagKey.spec,
                      memberKey.spec, publish.spec, batch.spec, KeysOptions.scanCount.spec, KeysOptions.type.spec, limit.spec, rate.spec,
                      maxLatencyMs.spec, noThrottle.spec, KeysOptions.progress.spec, KeysOptions.noProgress.spec]
}
