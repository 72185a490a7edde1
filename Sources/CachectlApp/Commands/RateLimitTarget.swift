import CacheOps
import CLI

/// What a `ratelimit` command points at: a KEY as given, the applications' key
/// `rate:IP:ENDPOINT` (with their default limits per endpoint), or, for status and reset,
/// every endpoint of an IP.
struct RateLimitTarget {
    /// The key before `--prefix`; empty for `ipOnly`.
    var key: [UInt8]
    /// The applications' default limits for the endpoint, for `--ip --endpoint`.
    var preset: SeedRateLimits.Preset?
    /// `--ip` without `--endpoint`: all of that IP's counters.
    var ipOnly: [UInt8]?

    init(_ context: CommandContext, requireKey: Bool) throws {
        let options = context.options
        let argument = context.parsed.arguments.first?.bytes
        let ip = options[RateLimitOptions.ip]
        let endpoint = options[RateLimitOptions.endpoint]
        if argument != nil && (ip != nil || endpoint != nil) {
            throw context.usageError("give either KEY or --ip/--endpoint, not both")
        }
        if endpoint != nil && ip == nil {
            throw context.usageError("--endpoint needs --ip: the key is rate:IP:ENDPOINT")
        }
        if let ip {
            guard !ip.isEmpty else { throw context.usageError("--ip must not be empty") }
            if let endpoint {
                key = SeedRateLimits.key(ip: ip, endpoint: endpoint)
                preset = SeedRateLimits.preset(for: endpoint)
            } else if requireKey {
                throw context.usageError("--ip needs --endpoint PATH here: the key is rate:IP:ENDPOINT")
            } else {
                key = []
                ipOnly = ip
            }
            return
        }
        guard let argument, !argument.isEmpty else {
            throw context.usageError("give the counter's KEY, or --ip IP --endpoint PATH")
        }
        key = argument
    }

    /// `--limit`, `--window`, `--algorithm`, `--burst` as given; any of them may be absent.
    struct Overrides {
        var algorithm: RateLimitAlgorithm
        var limit: Int64?
        var window: Duration?
        var burst: Int64?

        func applied(to preset: SeedRateLimits.Preset) -> RateLimitPolicy {
            RateLimitPolicy(algorithm: algorithm, limit: limit ?? preset.limit, window: window ?? preset.window, burst: burst)
        }
    }

    static func overrides(_ context: CommandContext) throws -> Overrides {
        let options = context.options
        // The table bounds --limit, --window and --burst (Lua counts are exact up to 2^53).
        let algorithm = RateLimitAlgorithm(rawValue: options[RateLimitOptions.algorithm]) ?? .fixed
        let limit = options[RateLimitOptions.limit].map(Int64.init)
        let window = options[RateLimitOptions.window]
        let burst = options[RateLimitOptions.burst].map(Int64.init)
        if burst != nil && algorithm != .gcra { throw context.usageError("--burst applies to --algorithm gcra only") }
        return Overrides(algorithm: algorithm, limit: limit, window: window, burst: burst)
    }

    /// The policy and cost of one check: the options, filled in from the endpoint's preset when
    /// there is one; without a preset `--limit` and `--window` are required.
    static func policy(_ context: CommandContext, preset: SeedRateLimits.Preset?) throws -> (RateLimitPolicy, Int64) {
        let o = try overrides(context)
        let policy: RateLimitPolicy
        if let preset {
            policy = o.applied(to: preset)
        } else {
            guard let limit = o.limit, let window = o.window else {
                throw context.usageError("a KEY needs --limit N and --window DURATION (the login/register/otp/payments presets apply to --ip/--endpoint only)")
            }
            policy = RateLimitPolicy(algorithm: o.algorithm, limit: limit, window: window, burst: o.burst)
        }
        let cost = Int64(context.options[RateLimitOptions.cost])
        let capacity = policy.algorithm == .gcra ? policy.burst ?? policy.limit : policy.limit
        // The sliding log stores one member per unit inside one atomic script: a huge cost
        // would stall the server for every client.
        if policy.algorithm == .sliding && cost > 10_000 {
            throw context.usageError("--cost must be at most 10000 with --algorithm sliding")
        }
        guard cost <= capacity else {
            throw context.usageError("--cost \(cost) can never be allowed: it is more than the \(policy.algorithm == .gcra ? "burst" : "limit") \(capacity)")
        }
        return (policy, cost)
    }
}
