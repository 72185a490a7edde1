import RESP

/// A command encoded once, with fixed-width decimal fields (a key's number, a lock token)
/// overwritten in place for each request: sending costs one copy of a few dozen bytes
/// and no allocation, like redis-benchmark's `__rand_int__` substitution.
struct CommandTemplate: Sendable {
    /// One argument: literal bytes, or literal bytes followed by a zero-padded number.
    enum Part: Sendable {
        case bytes([UInt8])
        case numbered([UInt8], width: Int)

        static func text(_ s: String) -> Part { .bytes(Array(s.utf8)) }
    }

    /// Digits of a key's number: keyspaces up to 10^12 (redis-benchmark uses 12 as well).
    static let keyWidth = 12
    /// Digits of a token: any UInt64.
    static let tokenWidth = 20

    let bytes: [UInt8]
    /// Where each numbered part's digits start, and how many there are (first two used).
    let fields: [(offset: Int, width: Int)]

    init(_ parts: [Part]) {
        var args: [[UInt8]] = []
        var marks: [(arg: Int, at: Int, width: Int)] = []
        for part in parts {
            switch part {
            case .bytes(let b):
                args.append(b)
            case .numbered(let prefix, let width):
                marks.append((args.count, prefix.count, width))
                args.append(prefix + Array(repeating: UInt8(ascii: "0"), count: width))
            }
        }
        let encoded = RESPEncoder.command(args)
        // Each argument's payload follows `*N\r\n` and its own `$len\r\n`.
        var payloadStarts: [Int] = []
        var i = 3 + String(args.count).utf8.count
        for arg in args {
            i += 3 + String(arg.count).utf8.count
            payloadStarts.append(i)
            i += arg.count + 2
        }
        bytes = encoded
        fields = marks.map { (payloadStarts[$0.arg] + $0.at, $0.width) }
    }

    /// Copies the command into `out` (exactly `bytes.count` long) with the first numbered
    /// field set to `first` and the second to `second`.
    @inline(__always)
    func write(into out: UnsafeMutableRawBufferPointer, _ first: UInt64, _ second: UInt64) {
        bytes.withUnsafeBytes { out.copyMemory(from: $0) }
        if fields.count > 0 { Self.digits(first, into: out, at: fields[0].offset, width: fields[0].width) }
        if fields.count > 1 { Self.digits(second, into: out, at: fields[1].offset, width: fields[1].width) }
    }

    /// Writes `value` right-aligned and zero-padded in `width` bytes (truncated to its
    /// low digits if it does not fit, which the callers' bounds rule out).
    @inline(__always)
    static func digits(_ value: UInt64, into out: UnsafeMutableRawBufferPointer, at offset: Int, width: Int) {
        var rest = value
        var i = offset + width
        while i > offset {
            i -= 1
            out[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        }
    }
}
