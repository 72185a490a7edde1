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
        ])

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
        examples: [Example("cachectl ratelimit status --ip 1.2.3.4 --json", "{\"/api/auth/login\":{\"current\":3,\"limit\":5,\"resetIn\":45,...}}")])

    static let ratelimitReset = CommandSpec(
        "reset",
        summary: "forget a limit's count; --ip resets every endpoint of an IP",
        discussion: """
        Deletes the key, or with --ip every rate:IP:* key (found by SCAN, never KEYS). \
        Asks first on a terminal; needs --yes otherwise. \
        Exits 1 when there was nothing to reset.
        """,
        arguments: [keyArgument],
        options: [ipOption, endpointOption, .flag("dry-run", help: "list what would be reset, change nothing"),
                  .flag("yes", short: "y", help: "do not ask for confirmation")],
        examples: [Example("cachectl ratelimit reset --ip 1.2.3.4 --yes", "after a solved CAPTCHA")])

    private static let keyArgument = ArgumentSpec("KEY", help: "the counter's key (or give --ip and --endpoint)", optional: true)
    private static let ipOption = OptionSpec("ip", value: .string, valueName: "IP", help: "client address for the key rate:IP:ENDPOINT")
    private static let endpointOption = OptionSpec("endpoint", value: .string, valueName: "PATH", help: "request path for the key rate:IP:ENDPOINT, e.g. /api/auth/login")

    private static let policyOptions: [OptionSpec] = [
        ipOption, endpointOption,
        OptionSpec("limit", value: .count, help: "requests allowed per window"),
        OptionSpec("window", value: .duration, help: "the window, e.g. 1m"),
        OptionSpec("algorithm", value: .choice(["fixed", "sliding", "gcra"]), help: "how to count (default fixed)"),
        OptionSpec("cost", value: .count, help: "units this request uses (default 1)"),
        OptionSpec("burst", value: .count, help: "gcra: requests allowed at once (default: the limit)"),
    ]
}
