import RESP

/// One request: which of the workload's templates to send, and the numbers to patch into
/// it. Kept in the in-flight ring until its reply comes back, so a follow-up (the SET
/// after a miss, the release after an acquire) knows its key and token.
struct BenchRequest: Sendable {
    var command: Int
    var key: UInt64
    var token: UInt64 = 0
}

/// Up to four counters of what replies meant (hits and misses, locks acquired…), named by
/// the workload; a fixed struct so counting never allocates.
public struct BenchOutcomes: Sendable, Equatable {
    public static let capacity = 4
    private var c0 = 0, c1 = 0, c2 = 0, c3 = 0

    public init() {}

    @inline(__always)
    mutating func bump(_ index: Int) {
        switch index {
        case 0: c0 += 1
        case 1: c1 += 1
        case 2: c2 += 1
        default: c3 += 1
        }
    }

    public subscript(index: Int) -> Int {
        switch index {
        case 0: return c0
        case 1: return c1
        case 2: return c2
        default: return c3
        }
    }

    mutating func merge(_ other: BenchOutcomes) {
        c0 += other.c0; c1 += other.c1; c2 += other.c2; c3 += other.c3
    }
}

/// A kind of load: which command starts an operation, and what each reply means for it.
///
/// The engine calls these for every request, so conformers are small value types that
/// the optimiser specialises into the worker's loop. A workload sees replies as
/// `RESPReplySummary` (kind, and an integer verdict), never as built values.
protocol BenchWorkload: SendableMetatype {
    /// Pre-encoded commands, indexed by `BenchRequest.command`.
    var templates: [CommandTemplate] { get }
    /// What the outcome counters mean, in order (at most `BenchOutcomes.capacity`).
    var outcomeNames: [String] { get }
    /// The first command of a new operation.
    mutating func start(_ random: inout BenchRandom) -> BenchRequest
    /// Counts what `reply` meant and returns the operation's next command, if it has one.
    mutating func complete(_ request: BenchRequest, reply: RESPReplySummary, outcomes: inout BenchOutcomes) -> BenchRequest?
}

/// Picks key numbers: uniform over `-r` keys, or always 0 (one key) without it.
struct KeyChooser: Sendable {
    let keyspace: UInt64

    init(_ keyspace: Int?) {
        self.keyspace = UInt64(keyspace ?? 1)
    }

    @inline(__always)
    func next(_ random: inout BenchRandom) -> UInt64 {
        keyspace == 1 ? 0 : random.below(keyspace)
    }
}

/// Key templates under the run's namespace (`--prefix` + `bench:`).
struct BenchKeys: Sendable {
    let namespace: [UInt8]

    /// `<namespace><kind>:<12 digits>`.
    func key(_ kind: String) -> CommandTemplate.Part {
        .key(namespace + Array("\(kind):".utf8))
    }
}
