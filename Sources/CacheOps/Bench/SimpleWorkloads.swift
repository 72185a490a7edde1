import RESP

/// One command per request, as redis-benchmark's tests of the same name: PING, SET, GET
/// (which also counts hits and misses), INCR.
struct SingleCommandWorkload: BenchWorkload {
    let templates: [CommandTemplate]
    let outcomeNames: [String]
    private let keys: KeyChooser
    private let countsHits: Bool

    init(_ test: BenchTest, plan: BenchPlan) {
        let k = BenchKeys(namespace: plan.namespace)
        let value = CommandTemplate.Part.bytes(Array(repeating: UInt8(ascii: "x"), count: plan.dataSize))
        let template: CommandTemplate
        switch test {
        case .set: template = CommandTemplate([.text("SET"), k.key("key"), value])
        case .get: template = CommandTemplate([.text("GET"), k.key("key")])
        case .incr: template = CommandTemplate([.text("INCR"), k.key("counter")])
        default: template = CommandTemplate([.text("PING")])
        }
        templates = [template]
        countsHits = test == .get
        outcomeNames = countsHits ? ["hits", "misses"] : []
        keys = KeyChooser(plan.keyspace)
    }

    @inline(__always)
    mutating func start(_ random: inout BenchRandom) -> BenchRequest {
        BenchRequest(command: 0, key: keys.next(&random))
    }

    @inline(__always)
    mutating func complete(_ request: BenchRequest, reply: RESPReplySummary, outcomes: inout BenchOutcomes) -> BenchRequest? {
        if countsHits { outcomes.bump(reply.kind == .null ? 1 : 0) }
        return nil
    }
}

/// GETs and SETs at `--ratio` over the same `-r` keys: the hit rate that results from a
/// keyspace and a write share is reported with the figures.
struct MixedWorkload: BenchWorkload {
    static let get = 0, set = 1
    let templates: [CommandTemplate]
    let outcomeNames = ["hits", "misses", "sets"]
    private let keys: KeyChooser
    private let gets: UInt64
    private let total: UInt64

    init(plan: BenchPlan) {
        let k = BenchKeys(namespace: plan.namespace)
        let value = CommandTemplate.Part.bytes(Array(repeating: UInt8(ascii: "x"), count: plan.dataSize))
        templates = [CommandTemplate([.text("GET"), k.key("key")]), CommandTemplate([.text("SET"), k.key("key"), value])]
        keys = KeyChooser(plan.keyspace)
        gets = UInt64(plan.ratio.gets)
        total = UInt64(plan.ratio.gets + plan.ratio.sets)
    }

    mutating func start(_ random: inout BenchRandom) -> BenchRequest {
        let command = random.below(total) < gets ? Self.get : Self.set
        return BenchRequest(command: command, key: keys.next(&random))
    }

    mutating func complete(_ request: BenchRequest, reply: RESPReplySummary, outcomes: inout BenchOutcomes) -> BenchRequest? {
        if request.command == Self.get {
            outcomes.bump(reply.kind == .null ? 1 : 0)
        } else {
            outcomes.bump(2)
        }
        return nil
    }
}

/// The applications' cache-aside `getOrSet`: GET the key; on a miss, SET it with a TTL (the
/// value the application would have loaded from its database).
struct GetOrSetWorkload: BenchWorkload {
    static let get = 0, set = 1
    let templates: [CommandTemplate]
    let outcomeNames = ["hits", "misses"]
    private let keys: KeyChooser

    init(plan: BenchPlan) {
        let k = BenchKeys(namespace: plan.namespace)
        let value = CommandTemplate.Part.bytes(Array(repeating: UInt8(ascii: "x"), count: plan.dataSize))
        templates = [
            CommandTemplate([.text("GET"), k.key("cache")]),
            CommandTemplate([.text("SET"), k.key("cache"), value, .text("EX"), .text(String(plan.cacheTTLSeconds))]),
        ]
        keys = KeyChooser(plan.keyspace)
    }

    mutating func start(_ random: inout BenchRandom) -> BenchRequest {
        BenchRequest(command: Self.get, key: keys.next(&random))
    }

    mutating func complete(_ request: BenchRequest, reply: RESPReplySummary, outcomes: inout BenchOutcomes) -> BenchRequest? {
        guard request.command == Self.get else { return nil }
        if reply.kind == .null {
            outcomes.bump(1)
            return BenchRequest(command: Self.set, key: request.key)
        }
        outcomes.bump(0)
        return nil
    }
}
