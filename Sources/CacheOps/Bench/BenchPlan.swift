/// Everything one `bench` run does, checked before any connection is opened.
public struct BenchPlan: Sendable, Equatable {
    /// When each test ends.
    public enum Length: Sendable, Equatable {
        /// After this many requests (commands) in total across every connection.
        case requests(Int)
        case duration(Duration)
    }

    /// GET:SET weights of the `mixed` test.
    public struct Ratio: Sendable, Equatable {
        public var gets: Int
        public var sets: Int
        public init(gets: Int, sets: Int) {
            self.gets = gets
            self.sets = sets
        }

        /// Parses `9:1`.
        public static func parse(_ text: String) throws(BenchPlanError) -> Ratio {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let g = Int(parts[0]), let s = Int(parts[1]), g >= 0, s >= 0, g + s > 0,
                  g <= 1_000_000, s <= 1_000_000 else {
                throw .invalid("invalid ratio '\(text)' for '--ratio': expected GET:SET weights such as 9:1")
            }
            return Ratio(gets: g, sets: s)
        }
    }

    public var tests: [BenchTest]
    /// Connections, spread over `threads`.
    public var clients: Int
    public var length: Length
    /// Requests kept in flight per connection.
    public var pipeline: Int
    /// Bytes of each SET value.
    public var dataSize: Int
    /// Keys spread over, as redis-benchmark's `-r`; nil: one key per kind.
    public var keyspace: Int?
    public var threads: Int
    /// Load sent before measuring starts, not counted.
    public var warmup: Duration
    public var ratio: Ratio
    /// TTL of the `getorset` test's SET on a miss.
    public var cacheTTLSeconds: Int
    /// Prepended to `bench:` in every key (`--prefix`).
    public var keyPrefix: [UInt8]

    public init(tests: [BenchTest], clients: Int = 50, length: Length = .requests(100_000), pipeline: Int = 1,
                dataSize: Int = 3, keyspace: Int? = nil, threads: Int = 1, warmup: Duration = .zero,
                ratio: Ratio = Ratio(gets: 9, sets: 1), cacheTTLSeconds: Int = 300, keyPrefix: [UInt8] = []) {
        self.tests = tests
        self.clients = clients
        self.length = length
        self.pipeline = pipeline
        self.dataSize = dataSize
        self.keyspace = keyspace
        self.threads = threads
        self.warmup = warmup
        self.ratio = ratio
        self.cacheTTLSeconds = cacheTTLSeconds
        self.keyPrefix = keyPrefix
    }

    /// Largest `-d`: Redis's default `proto-max-bulk-len`.
    public static let maxDataSize = 512 * 1024 * 1024
    /// Key numbers are written with 12 digits.
    public static let maxKeyspace = 1_000_000_000_000
    /// Beyond a few dozen threads on any machine the loop threads only contend.
    public static let maxThreads = 256

    /// Every key the run touches starts with this.
    public var namespace: [UInt8] { keyPrefix + Array("bench:".utf8) }

    /// The issue's bad inputs: zero counts, a pipeline longer than the run, more threads
    /// than connections, an empty test list.
    public func validate() throws(BenchPlanError) {
        guard !tests.isEmpty else { throw .invalid("no test given to '-t'") }
        guard clients >= 1 else { throw .invalid("-c must be at least 1, not \(clients)") }
        guard pipeline >= 1 else { throw .invalid("-P must be at least 1, not \(pipeline)") }
        guard threads >= 1 else { throw .invalid("--threads must be at least 1, not \(threads)") }
        guard threads <= Self.maxThreads else { throw .invalid("--threads is at most \(Self.maxThreads), not \(threads)") }
        guard threads <= clients else {
            throw .invalid("--threads \(threads) is more than the \(clients) connection\(clients == 1 ? "" : "s") of -c: each thread needs one")
        }
        guard dataSize >= 1 else { throw .invalid("-d must be at least 1 byte, not \(dataSize)") }
        guard dataSize <= Self.maxDataSize else { throw .invalid("-d is at most 512mb (the server's proto-max-bulk-len)") }
        if let keyspace {
            guard keyspace >= 1 else { throw .invalid("-r must be at least 1, not \(keyspace)") }
            guard keyspace <= Self.maxKeyspace else { throw .invalid("-r is at most 10^12 keys") }
        }
        guard warmup >= .zero else { throw .invalid("--warmup must not be negative") }
        guard cacheTTLSeconds >= 1 else { throw .invalid("--ttl must be at least 1s") }
        switch length {
        case .requests(let n):
            guard n >= 1 else { throw .invalid("--requests must be at least 1, not \(n)") }
            guard pipeline <= n else {
                throw .invalid("-P \(pipeline) is larger than the \(n) request\(n == 1 ? "" : "s") of --requests")
            }
        case .duration(let d):
            guard d > .zero else { throw .invalid("--duration must be greater than zero") }
        }
    }
}

/// Why a plan cannot run; the CLI maps every case to exit 64.
public enum BenchPlanError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownTest(String, known: [String])
    case invalid(String)

    public var description: String {
        switch self {
        case .unknownTest(let name, let known):
            return "unknown test '\(name)' for '-t': choose from \(known.joined(separator: ", "))"
        case .invalid(let message):
            return message
        }
    }
}
