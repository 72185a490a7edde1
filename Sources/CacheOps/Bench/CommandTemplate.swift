import RESP

/// A command encoded once, with fixed-width decimal fields (a key's number, a lock
/// owner's token) overwritten in place for each request: sending costs one copy of a few
/// dozen bytes and no allocation, like redis-benchmark's `__rand_int__` substitution.
struct CommandTemplate: Sendable {
    /// Which number of a request a field shows.
    enum Source: UInt8, Sendable {
        case key, token
    }

    /// One argument: literal bytes, or bytes holding a zero-filled field at `at`.
    enum Part: Sendable {
        case bytes([UInt8])
        case numbered([UInt8], at: Int, width: Int, source: Source)

        static func text(_ s: String) -> Part { .bytes(Array(s.utf8)) }

        /// `before`, the key number in `keyWidth` digits, `after`.
        static func key(_ before: [UInt8], _ after: [UInt8] = []) -> Part {
            .numbered(before + zeros(keyWidth) + after, at: before.count, width: keyWidth, source: .key)
        }

        /// `before` and the token in `tokenWidth` digits.
        static func token(_ before: [UInt8]) -> Part {
            .numbered(before + zeros(tokenWidth), at: before.count, width: tokenWidth, source: .token)
        }
    }

    struct Field: Sendable, Equatable {
        var offset: Int
        var width: Int
        var source: Source
    }

    /// Digits of a key's number: keyspaces up to 10^12 (redis-benchmark uses 12 as well).
    static let keyWidth = 12
    /// Digits of a token: any UInt64.
    static let tokenWidth = 20

    let bytes: [UInt8]
    let fields: [Field]

    init(_ parts: [Part]) {
        var args: [[UInt8]] = []
        var marks: [(arg: Int, at: Int, width: Int, source: Source)] = []
        for part in parts {
            switch part {
            case .bytes(let b):
                args.append(b)
            case .numbered(let b, let at, let width, let source):
                marks.append((args.count, at, width, source))
                args.append(b)
            }
        }
        // Each argument's payload follows `*N\r\n` and its own `$len\r\n`.
        var payloadStarts: [Int] = []
        var i = 3 + String(args.count).utf8.count
        for arg in args {
            i += 3 + String(arg.count).utf8.count
            payloadStarts.append(i)
            i += arg.count + 2
        }
        bytes = RESPEncoder.command(args)
        fields = marks.map { Field(offset: payloadStarts[$0.arg] + $0.at, width: $0.width, source: $0.source) }
    }

    /// Copies the command into `out` (exactly `bytes.count` long) with its fields set.
    func write(into out: UnsafeMutableRawBufferPointer, key: UInt64, token: UInt64) {
        bytes.withUnsafeBytes { out.copyMemory(from: $0) }
        guard let base = out.baseAddress else { return }
        for f in fields {
            WorkerStorage.digits(f.source == .key ? key : token, into: base + f.offset, width: f.width)
        }
    }

    static func zeros(_ n: Int) -> [UInt8] { Array(repeating: UInt8(ascii: "0"), count: n) }
}
