import RESP
import RedisClient

extension RESPReplySummary {
    /// Whether a lock or rate-limit reply said yes, whatever convention the script uses:
    /// `OK` or a value for yes, nil for no; 1 or 0; true or false; or `{1|0, …}`.
    var affirmative: Bool {
        switch kind {
        case .null: return false
        case .integer, .boolean, .aggregate: return (integer ?? 1) != 0
        default: return true
        }
    }
}

/// Lock cycles as an application runs them: acquire with a unique owner token and, when
/// acquired, release with the same token. With fewer keys (`-r`) than clients the
/// acquisitions contend, which is counted.
struct LockWorkload: BenchWorkload {
    static let acquire = 0, release = 1
    /// The seeds' lock TTL.
    static let ttlMilliseconds = 30_000
    let templates: [CommandTemplate]
    let outcomeNames = ["acquired", "contended", "released", "lost"]
    private let keys: KeyChooser
    private var nextToken: UInt64

    /// Scripts to load before the test.
    static var scripts: [LuaScript] { [ProvisionalScripts.lockRelease] }

    /// `thread` keeps owner tokens unique across threads.
    init(plan: BenchPlan, thread: Int) {
        let k = BenchKeys(namespace: plan.namespace)
        let token = CommandTemplate.Part.numbered(Array("bench-owner-".utf8), width: CommandTemplate.tokenWidth)
        templates = [
            CommandTemplate([.text("SET"), k.key("lock"), token, .text("NX"), .text("PX"), .text(String(Self.ttlMilliseconds))]),
            CommandTemplate([.text("EVALSHA"), .text(ProvisionalScripts.lockRelease.sha1), .text("1"), k.key("lock"), token]),
        ]
        keys = KeyChooser(plan.keyspace)
        nextToken = UInt64(thread) << 48
    }

    mutating func start(_ random: inout BenchRandom) -> BenchRequest {
        nextToken &+= 1
        return BenchRequest(command: Self.acquire, key: keys.next(&random), token: nextToken)
    }

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
}

/// Rate-limit checks against the seeds' default limit (100 per 60 s window) over `-r`
/// keys (one per client IP and endpoint in the seeds), counting allowed and denied.
struct RateLimitWorkload: BenchWorkload {
    static let limit = 100
    static let windowSeconds = 60
    let templates: [CommandTemplate]
    let outcomeNames = ["allowed", "denied"]
    private let keys: KeyChooser

    static var scripts: [LuaScript] { [ProvisionalScripts.rateLimitCheck] }

    init(plan: BenchPlan) {
        let k = BenchKeys(namespace: plan.namespace)
        templates = [CommandTemplate([.text("EVALSHA"), .text(ProvisionalScripts.rateLimitCheck.sha1), .text("1"),
                                      k.key("rate"), .text(String(Self.limit)), .text(String(Self.windowSeconds))])]
        keys = KeyChooser(plan.keyspace)
    }

    mutating func start(_ random: inout BenchRandom) -> BenchRequest {
        BenchRequest(command: 0, key: keys.next(&random))
    }

    mutating func complete(_ request: BenchRequest, reply: RESPReplySummary, outcomes: inout BenchOutcomes) -> BenchRequest? {
        outcomes.bump(reply.affirmative ? 0 : 1)
        return nil
    }
}
