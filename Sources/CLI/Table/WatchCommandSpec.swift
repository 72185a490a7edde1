extension CommandSpec {
    static let watch = CommandSpec(
        "watch",
        summary: "print the invalidation events applications publish, as they happen",
        discussion: """
        Subscribes to each CHANNEL (default: cache:invalidate, sessions:invalidate and \
        permissions:invalidate, the channels applications use to tell each other what to \
        forget) and prints every message with the time it arrived and its channel. With \
        --json each message is one NDJSON object: {"time","timeMs","channel","format","payload"}, \
        where a JSON payload is embedded as JSON (format json), other UTF-8 text is a \
        string (format text), and anything else is base64 in payloadBase64 (format \
        binary). --pattern subscribes to glob patterns (PSUBSCRIBE) and adds the matching \
        pattern to each message. RESP3 (--resp3) push messages are read the same way.

        A quiet channel is not an error: --timeout bounds only the answers the server owes \
        (the subscription's confirmation, and a PING sent after a silence, which proves the \
        connection is alive). When the connection drops or stops answering, watch says so \
        on stderr and reconnects with a growing pause (100ms doubling to 5s), then \
        resubscribes; messages published while it was away are not seen (pub/sub keeps \
        nothing). On a cluster every node receives every PUBLISH, so watch subscribes on \
        one node and moves to another when that one is lost.

        Exits 0 after --count messages or --for, 130 on Ctrl-C (143 on SIGTERM); a first \
        connection that fails exits 69, a refused channel 77.
        """,
        arguments: [ArgumentSpec("CHANNEL", help: "channels (or patterns with --pattern) to watch", optional: true, variadic: true)],
        options: [WatchOptions.pattern.spec, WatchOptions.count.spec, WatchOptions.forSpan.spec],
        examples: [
            Example("cachectl watch", "the three invalidation channels, one line per event"),
            Example("cachectl watch --json --count 1 sessions:invalidate", "wait for the next session event, as JSON"),
            Example("cachectl watch --pattern 'cache:*' --for 10m --json > events.ndjson", "record ten minutes of events"),
        ],
        id: .watch)
}

/// The options of `watch`, each declared once.
public enum WatchOptions {
    public static let pattern = Option.flag("pattern", help: "treat each CHANNEL as a glob pattern (PSUBSCRIBE)")
    public static let count = Option<Int?>.count("count", range: .atLeast(1), absent: "no limit", help: "exit 0 after N messages")
    public static let forSpan = Option<Duration?>.duration("for", range: .atLeast(.milliseconds(1)), absent: "no limit",
                                                           help: "exit 0 after DURATION")
}
