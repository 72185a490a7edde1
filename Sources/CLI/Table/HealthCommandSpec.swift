extension CommandSpec {
    static let health = CommandSpec(
        "health",
        summary: "latency, memory, hit rate, replication and danger signals; any breach gives exit 1",
        discussion: """
        Times every round trip of the run, the connection set-up included, pings the server \
        --samples times and reads INFO, SLOWLOG and (on a cluster) every node. Each breach is \
        listed on stderr and makes the exit code 1, so `cachectl health --max-latency-ms 50` \
        works as a monitoring probe. --slowlog N reads the whole slow log (its 10000 most \
        recent entries at most) and shows the N slowest, saying how many were looked at.

        Built-in danger signals, checked without any option: used memory at or above \
        maxmemory with maxmemory-policy noeviction (breach: writes fail with OOM); maxmemory \
        not set (warning); keys evicted (warning: per second with --interval, else since \
        start); loading (breach); a replica whose link to its primary is down, or whose \
        primary was last heard from more than --max-lag ago (default 30s) (breach); a replica \
        of this primary offline or lagging (warning); connected clients at maxclients, or \
        connections rejected during --interval (breach); rejected connections since start or \
        blocked clients growing (warning); the last RDB save or AOF write failed (breach); \
        memory fragmentation ratio 1.5 or more with 64 MiB or more wasted (warning); \
        cluster_state not ok or a node unreachable (breach).

        PING is the only command health needs. When INFO (or one of its sections), SLOWLOG or \
        CLUSTER INFO is refused (ACL, rename-command, managed service), its facts show as n/a, \
        one warning names it, and the checks that needed it are listed as unchecked; \
        --strict makes each unchecked check a breach.

        With --json a connection failure still prints one document \
        ({"healthy":false,"status":"unreachable"|"timeout"|"unauthorized",...,"error":...}) \
        with exit 69, 75 or 77. --prometheus prints the same facts in the Prometheus text \
        format (cachectl_ metrics, for a textfile collector or a pushgateway).
        """,
        options: HealthOptions.all,
        examples: [
            Example("cachectl health", "show the server's health as a table"),
            Example("cachectl -u redis://cache:6379 health --json", "the same as JSON for a script"),
            Example("cachectl health --max-latency-ms 20 --min-hit-rate 80 -q", "a monitoring probe: exit 1 on any breach"),
            Example("cachectl health --interval 5s --min-hit-rate 90", "rates and the hit rate over the next 5 seconds"),
            Example("cachectl health --watch 2s", "one line every 2 seconds until Ctrl-C, like redis-cli --stat"),
            Example("cachectl health --prometheus > /var/lib/node_exporter/redis.prom", "for node_exporter's textfile collector"),
        ],
        id: .health)
}

/// The options of `health`, each declared once.
public enum HealthOptions {
    public static let samples = Option<Int>.count("samples", default: 5, range: Bounds(1...10_000),
                                                  help: "number of PINGs for the latency figures")
    public static let maxLatencyMs = Option<Double?>.number(
        "max-latency-ms", valueName: "MS", range: Bounds(0...86_400_000),
        help: "breach when any round trip (connection set-up, PING, INFO...) takes longer")
    public static let minHitRate = Option<Double?>.number(
        "min-hit-rate", valueName: "PERCENT", range: Bounds(0...100),
        help: "breach when keyspace hits / lookups is lower; over --interval when given")
    public static let maxMemoryPct = Option<Double?>.number("max-memory-pct", valueName: "PERCENT", range: Bounds(0...100),
                                                            help: "breach when used memory is above this share of maxmemory")
    public static let minReplicas = Option<Int?>.count("min-replicas",
                                                       help: "breach when fewer replicas are connected to the primary")
    public static let maxLag = Option<Duration>.duration("max-lag", default: .seconds(30),
                                                         help: "replica: breach when the primary was last heard from longer ago")
    public static let interval = Option<Duration?>.duration(
        "interval", range: .atLeast(.milliseconds(1)),
        help: "sample INFO twice this far apart: ops/s, hits/s, hit rate and evictions now")
    public static let slowlog = Option<Int>.count("slowlog", default: 0, range: Bounds(0...1000),
                                                  help: "the N slowest entries of the slow log (command names only)")
    public static let watch = Option<Duration?>.optionalDuration(
        "watch", bare: .seconds(1), range: .atLeast(.milliseconds(1)),
        help: "repeat every DURATION until interrupted: one line per sample, NDJSON with --json")
    public static let count = Option<Int?>.count("count", range: .atLeast(1),
                                                 help: "with --watch: stop after N samples and exit with the worst verdict's code")
    public static let strict = Option.flag("strict", help: "checks that cannot be made (refused INFO, no maxmemory) are breaches")
    public static let prometheus = Option.flag("prometheus", help: "print the facts in the Prometheus text exposition format")

    static let all = [samples.spec, maxLatencyMs.spec, minHitRate.spec, maxMemoryPct.spec, minReplicas.spec, maxLag.spec,
                      interval.spec, slowlog.spec, watch.spec, count.spec, strict.spec, prometheus.spec]
}
