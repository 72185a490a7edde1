import RESP
import RedisClient

extension RESPReplySummary {
    /// Whether a lock or rate-limit reply said yes, whatever convention the script uses:
    /// `OK` or a value for yes, nil for no; 1 or 0; true or false; or `{1|0, …}` as the
    /// lock and rate-limit scripts answer.
    var affirmative: Bool {
        switch kind {
        case .null: return false
        case .integer, .boolean, .aggregate: return (integer ?? 1) != 0
        default: return true
        }
    }
}

/// Lock cycles exactly as `cachectl lock` runs them (the scripts of `LockScripts`, the
/// keys of `LockKeys`): acquire with an owner in the `host:pid:…` shape and, when
/// acquired, release with the same owner. With fewer keys (`-r`) than clients the
/// acquisitions contend, which is counted.
struct LockWorkload: BenchWorkload {
    static let acquire = 0, release = 1
    /// The lock TTL applications use (and `lock acquire`'s default).
    static let ttl = Duration.seconds(30)
    let templates: [CommandTemplate]
    let outcomeNames = ["acquired", "contended", "released", "lost"]
    private let keys: KeyChooser
    private var nextToken: UInt64

    /// Scripts to load before the test.
    static var scripts: [LuaScript] { [LockScripts.acquire, LockScripts.release] }

    /// `thread` keeps owner tokens unique across threads.
    init(plan: BenchPlan, thread: Int) {
        // Lock NAME `{NNNNNNNNNNNN}`: a hash tag, so LockKeys puts the fence counter next to
        // the lock (`…fence:lock:{N}`), inside the bench namespace and the same slot.
        let placeholder = Array("{".utf8) + CommandTemplate.zeros(CommandTemplate.keyWidth) + Array("}".utf8)
        let lockKeys = LockKeys(name: placeholder, prefix: plan.namespace)
        func keyPart(_ key: [UInt8]) -> CommandTemplate.Part {
            let at = Self.lastIndex(of: placeholder, in: key) + 1
            return .numbered(key, at: at, width: CommandTemplate.keyWidth, source: .key)
        }
        let owner = CommandTemplate.Part.token(LockOwner.generate() + Array(":".utf8))
        templates = [
            CommandTemplate([.text("EVALSHA"), .text(LockScripts.acquire.sha1), .text("2"), keyPart(lockKeys.key),
                             keyPart(lockKeys.fenceKey), owner, .text(String(wholeMilliseconds(Self.ttl))),
                             // No earlier counter layout to carry on from: bench keys are new.
                             .text("")]),
            CommandTemplate([.text("EVALSHA"), .text(LockScripts.release.sha1), .text("1"), keyPart(lockKeys.key), owner]),
        ]
        keys = KeyChooser(plan.keyspace)
        nextToken = UInt64(thread) << 48
    }

    mutating func start(_ random: inout BenchRandom) -> BenchRequest {
        nextToken &+= 1
        return BenchRequest(command: Self.acquire, key: keys.next(&random), token: nextToken)
    }

    /// Acquire answers `{1, token}` or `{0, holder, pttl}`; release `{1}` or `{0, …}`.
    mutating func complete(_ request: BenchRequest, reply: RESPReplySummary, outcomes: inout BenchOutcomes) -> BenchRequest? {
        if request.command == Self.acquire {
            guard reply.affirmative else {
                outcomes.bump(1)
                return nil
            }
            outcomes.bump(0)
            return BenchRequest(command: Self.release, key: request.key, token: request.token)
        }
        outcomes.bump(reply.affirmative ? 2 : 3)
        return nil
    }

    /// Where the last copy of `needle` starts in `haystack` (the prefix may contain braces too).
    static func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int {
        var i = haystack.count - needle.count
        while i > 0 && !haystack[i...].starts(with: needle) { i -= 1 }
        return max(0, i)
    }
}

/// Rate-limit checks exactly as `cachectl ratelimit check` runs them (the fixed window
/// through `RateLimitScripts.fixed`), at the default limit of 100 per 60 s, over `-r`
/// keys in the applications' `rate:{ip}:{endpoint}` shape (one per client IP), counting
/// allowed and denied.
struct RateLimitWorkload: BenchWorkload {
    static var limit: Int { Int(SeedRateLimits.fallback.limit) }
    static var window: Duration { SeedRateLimits.fallback.window }
    let templates: [CommandTemplate]
    let outcomeNames = ["allowed", "denied"]
    private let keys: KeyChooser

    static var scripts: [LuaScript] { [RateLimitScripts.fixed] }

    init(plan: BenchPlan) {
        let ip = CommandTemplate.zeros(CommandTemplate.keyWidth)
        let key = plan.namespace + SeedRateLimits.key(ip: ip, endpoint: Array("/bench".utf8))
        let at = plan.namespace.count + Array("rate:".utf8).count
        // ARGV: limit, window in ms, cost, consume (1: a check, not a status).
        templates = [CommandTemplate([.text("EVALSHA"), .text(RateLimitScripts.fixed.sha1), .text("1"),
                                      .numbered(key, at: at, width: CommandTemplate.keyWidth, source: .key),
                                      .text(String(Self.limit)), .text(String(wholeMilliseconds(Self.window))),
                                      .text("1"), .text("1")])]
        keys = KeyChooser(plan.keyspace)
    }

    mutating func start(_ random: inout BenchRandom) -> BenchRequest {
        BenchRequest(command: 0, key: keys.next(&random))
    }

    /// The script answers `{allowed, total, remaining, resetMs, retryMs, repaired}`.
    mutating func complete(_ request: BenchRequest, reply: RESPReplySummary, outcomes: inout BenchOutcomes) -> BenchRequest? {
        outcomes.bump(reply.affirmative ? 0 : 1)
        return nil
    }
}
