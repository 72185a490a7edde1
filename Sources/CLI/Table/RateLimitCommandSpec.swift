extension CommandSpec {
    static let ratelimit = CommandSpec(
        "ratelimit",
        summary: "atomic rate limits: fixed window, sliding log or GCRA",
        discussion: """
        One atomic script per algorithm, timed by the server's clock: fixed (an \
        INCR+EXPIRE counter, the default), sliding (an exact log in a sorted set) and gcra \
        (a smooth rate with bursts, as redis-cell). Every key carries a TTL. --ip and \
        --endpoint build the key rate:IP:ENDPOINT (every / of the endpoint becomes _) \
        and, without --limit and --window, the preset limits: /api/auth/login 5 per minute, \
        /api/auth/register and /api/otp/send 3, /api/payments 30, anything else 100.
        """,
        subcommands: [.ratelimitCheck, .ratelimitStatus, .ratelimitReset],
        examples: [
            Example("cachectl ratelimit check --ip 1.2.3.4 --endpoint /api/auth/login", "the login preset: 5 per minute"),
            Example("cachectl ratelimit check deploys:prod --limit 3 --window 1h -q || exit 0", "at most 3 deploys an hour"),
        ])

    static let ratelimitCheck = CommandSpec(
        "check",
        summary: "count a request; exit 0 allowed, 1 denied",
        discussion: """
        Consumes --cost units when they fit and prints {allowed, remaining, resetIn, total, \
        limit} (resetIn in whole seconds, rounded up; retryAfterMs when denied). Denied \
        requests are not counted.
        """,
        arguments: [keyArgument],
        options: policyOptions,
        examples: [
            Example("cachectl ratelimit check api:alice --limit 100 --window 1m --json", "100 per minute for one client"),
            Example("cachectl ratelimit check api:bob --limit 10 --window 1s --algorithm gcra --burst 20", "10/s on average, bursts of 20"),
        ],
        id: .ratelimitCheck)

    static let ratelimitStatus = CommandSpec(
        "status",
        summary: "show a limit without consuming; --ip lists every endpoint of an IP",
        discussion: """
        Answers what a check would, without counting anything or writing: exit 0 when a \
        check would be allowed, 1 when it would be denied. With --ip and no --endpoint, \
        lists every rate:IP:* counter (found by SCAN), and \
        exits 1 when any of them is exhausted.
        """,
        arguments: [keyArgument],
        options: policyOptions,
        examples: [Example("cachectl ratelimit status --ip 1.2.3.4 --json", "{\"/api/auth/login\":{\"current\":3,\"limit\":5,\"resetIn\":45,...}}")],
        id: .ratelimitStatus)

    static let ratelimitReset = CommandSpec(
        "reset",
        summary: "forget a limit's count; --ip resets every endpoint of an IP",
        discussion: """
        Deletes the key, or with --ip every rate:IP:* key (found by SCAN, never KEYS). \
        Asks first on a terminal; needs --yes otherwise. \
        Exits 1 when there was nothing to reset.
        """,
        arguments: [keyArgument],
        options: [RateLimitOptions.ip.spec, RateLimitOptions.endpoint.spec, RateLimitOptions.dryRun.spec,
                  RateLimitOptions.yes.spec],
        examples: [Example("cachectl ratelimit reset --ip 1.2.3.4 --yes", "after a solved CAPTCHA")],
        id: .ratelimitReset)

    private static let keyArgument = ArgumentSpec("KEY", help: "the counter's key (or give --ip and --endpoint)", optional: true)
    private static let policyOptions: [OptionSpec] = [
        RateLimitOptions.ip.spec, RateLimitOptions.endpoint.spec, RateLimitOptions.limit.spec, RateLimitOptions.window.spec,
        RateLimitOptions.algorithm.spec, RateLimitOptions.cost.spec, RateLimitOptions.burst.spec,
    ]
}

/// The options of the ratelimit subcommands, each declared once.
public enum RateLimitOptions {
    /// Lua numbers are doubles: beyond 2^53 counts stop being exact.
    static let exact = 1 << 53

    public static let ip = Option<[UInt8]?>.bytes("ip", valueName: "IP", help: "client address for the key rate:IP:ENDPOINT")
    public static let endpoint = Option<[UInt8]?>.bytes("endpoint", valueName: "PATH",
                                                        help: "request path for the key rate:IP:ENDPOINT, e.g. /api/auth/login")
    public static let limit = Option<Int?>.count("limit", range: Bounds(1...exact), help: "requests allowed per window")
    public static let window = Option<Duration?>.duration("window", range: Bounds(.milliseconds(1)...(.seconds(366 * 86_400))),
                                                          help: "the window, e.g. 1m")
    public static let algorithm = Option<String>.choice("algorithm", among: ["fixed", "sliding", "gcra"], default: "fixed",
                                                        help: "how to count")
    public static let cost = Option<Int>.count("cost", default: 1, range: .atLeast(1), help: "units this request uses")
    public static let burst = Option<Int?>.count("burst", range: Bounds(1...exact), absent: "the limit",
                                                 help: "gcra: requests allowed at once")
    public static let dryRun = Option.flag("dry-run", help: "list what would be reset, change nothing")
    public static let yes = SharedOptions.yes
}
