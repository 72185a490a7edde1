// Throughput of the RESP codec on the shapes a Redis client meets: long pipelines of tiny
// replies, large values arriving in socket-sized chunks, and command encoding.
//
//     swift build -c release --product RESPBench && .build/release/RESPBench [filter]
//
// Each case reports its best of a few runs; `filter` runs only the cases whose name
// contains it (handy under a profiler, as inputs are then built only for those cases).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RESP

let runs = 10
let kib = 1 << 10
let mib = 1 << 20

/// Monotonic seconds: wall-clock time can jump, which would corrupt short measurements.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// One benchmark. `prepare` builds the input outside the timed region and returns the
/// byte count the MB/s figure is based on, with the timed body; the body returns how many
/// items it processed so the optimiser cannot drop the work and miscounts show up.
struct Case {
    var name: String
    var items: Int
    var prepare: () -> (bytes: Int, run: () throws -> Int)
}

struct Measurement {
    var name: String
    var bytes: Int
    var items: Int
    var seconds: Double
}

/// Runs a case a few times and keeps the fastest: the slower runs measure machine noise.
func measure(_ benchmark: Case) throws -> Measurement {
    let (bytes, run) = benchmark.prepare()
    var best = Double.infinity
    for _ in 0..<runs {
        let start = now()
        let processed = try run()
        let elapsed = now() - start
        precondition(processed == benchmark.items, "\(benchmark.name): \(processed) items, expected \(benchmark.items)")
        best = min(best, elapsed)
    }
    return Measurement(name: benchmark.name, bytes: bytes, items: benchmark.items, seconds: best)
}

// MARK: - Parsing

/// Feeds `stream` to a fresh parser in `chunk`-byte pieces, as a socket read loop would,
/// draining complete values after each piece.
func feed(_ stream: [UInt8], chunk: Int, drain: (inout RESPParser) throws -> Int) throws -> Int {
    var parser = RESPParser()
    var count = 0
    try stream.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
            let stop = min(offset + chunk, raw.count)
            parser.append(UnsafeRawBufferPointer(rebasing: raw[offset..<stop]))
            count += try drain(&parser)
            offset = stop
        }
    }
    precondition(parser.bufferedByteCount == 0, "stream left \(parser.bufferedByteCount) bytes")
    return count
}

func drainValues(_ parser: inout RESPParser) throws -> Int {
    var count = 0
    while try parser.next() != nil { count += 1 }
    return count
}

func drainSkipping(_ parser: inout RESPParser) throws -> Int {
    var count = 0
    while try parser.skipNext() { count += 1 }
    return count
}

let smallReplyCount = 1_000_000

/// `+OK`, `:123` and `$5 hello` in turn: the replies of a SET/INCR/GET pipeline.
func smallReplies() -> [UInt8] {
    let shapes: [[UInt8]] = [Array("+OK\r\n".utf8), Array(":123\r\n".utf8), Array("$5\r\nhello\r\n".utf8)]
    var stream: [UInt8] = []
    for i in 0..<smallReplyCount { stream += shapes[i % shapes.count] }
    return stream
}

func bulkStream(count: Int, size: Int) -> [UInt8] {
    let one = RESPEncoder.encode(.bulkString((0..<size).map { UInt8(truncatingIfNeeded: $0) }))
    var stream: [UInt8] = []
    stream.reserveCapacity(one.count * count)
    for _ in 0..<count { stream += one }
    return stream
}

// MARK: - Encoding

let setCount = 1_000_000

/// Appends the decimal digits of `n`, as a caller building `key:N` would.
func appendDigits(_ n: Int, to bytes: inout [UInt8]) {
    let start = bytes.count
    var rest = n
    repeat {
        bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
        rest /= 10
    } while rest > 0
    bytes[start...].reverse()
}

/// `SET key:N value` for every N, built ahead so that only the encoder is timed.
func setCommands() -> [[[UInt8]]] {
    let set = Array("SET".utf8)
    let value = Array("value".utf8)
    return (0..<setCount).map { n in
        var key = Array("key:".utf8)
        appendDigits(n, to: &key)
        return [set, key, value]
    }
}

/// Encodes `commands` as a pipelining client would, handing the buffer off every 64 KiB
/// as a socket write would (reusing its allocation); returns the bytes produced.
func encode(_ commands: [[[UInt8]]]) -> Int {
    var buffer: [UInt8] = []
    var encoded = 0
    for command in commands {
        RESPEncoder.encodeCommand(command, into: &buffer)
        if buffer.count >= 64 * kib {
            encoded += buffer.count
            buffer.removeAll(keepingCapacity: true)
        }
    }
    return encoded + buffer.count
}

/// Also builds each command's key and argument array, as a caller does before encoding.
func buildAndEncodeSets() -> Int {
    let set = Array("SET".utf8)
    let value = Array("value".utf8)
    var key = Array("key:".utf8)
    let prefix = key.count
    var buffer: [UInt8] = []
    var encoded = 0
    for n in 0..<setCount {
        key.removeSubrange(prefix...)
        appendDigits(n, to: &key)
        RESPEncoder.encodeCommand([set, key, value], into: &buffer)
        if buffer.count >= 64 * kib {
            encoded += buffer.count
            buffer.removeAll(keepingCapacity: true)
        }
    }
    return encoded + buffer.count
}

// MARK: - Cases

/// A parsing case: `stream` fed in `chunk`-byte pieces and drained with `drain`.
func parsing(
    _ name: String, items: Int, chunk: Int,
    drain: @escaping (inout RESPParser) throws -> Int, stream: @escaping () -> [UInt8]
) -> Case {
    Case(name: name, items: items) {
        let input = stream()
        return (input.count, { try feed(input, chunk: chunk, drain: drain) })
    }
}

let cases: [Case] = [
    parsing("small replies, next()", items: smallReplyCount, chunk: 16 * kib, drain: drainValues, stream: smallReplies),
    parsing("small replies, skipNext()", items: smallReplyCount, chunk: 16 * kib, drain: drainSkipping, stream: smallReplies),
    parsing("64 x 1 MiB bulk, next()", items: 64, chunk: 64 * kib, drain: drainValues) { bulkStream(count: 64, size: mib) },
    parsing("64 x 1 MiB bulk, skipNext()", items: 64, chunk: 64 * kib, drain: drainSkipping) { bulkStream(count: 64, size: mib) },
    parsing("1000 x 64 KiB bulk, next()", items: 1_000, chunk: 64 * kib, drain: drainValues) { bulkStream(count: 1_000, size: 64 * kib) },
    parsing("1000 x 64 KiB bulk, skipNext()", items: 1_000, chunk: 64 * kib, drain: drainSkipping) { bulkStream(count: 1_000, size: 64 * kib) },
    Case(name: "encodeCommand SET key:N value", items: setCount) {
        let commands = setCommands()
        return (encode(commands), { encode(commands) > 0 ? setCount : 0 })
    },
    Case(name: "build args + encodeCommand", items: setCount) {
        (buildAndEncodeSets(), { buildAndEncodeSets() > 0 ? setCount : 0 })
    },
]

// MARK: - Report

func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - text.count))
    return right ? fill + text : text + fill
}

/// `value` with exactly `decimals` digits after the point (no Foundation `String(format:)`).
func fixed(_ value: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int((value * scale).rounded())
    guard decimals > 0 else { return String(scaled) }
    let whole = scaled / Int(scale)
    let fraction = String(scaled % Int(scale))
    return "\(whole)." + String(repeating: "0", count: decimals - fraction.count) + fraction
}

let filter = CommandLine.arguments.dropFirst().first
let selected = cases.filter { filter == nil || $0.name.contains(filter ?? "") }

print("RESP codec throughput, best of \(runs) runs")
let header = pad("case", 32) + pad("MB/s", 9, right: true) + pad("values/s", 12, right: true) + pad("best ms", 10, right: true)
print(header)
print(String(repeating: "-", count: header.count))
for benchmark in selected {
    let m = try measure(benchmark)
    let perSecond = Double(m.items) / m.seconds
    let rate = perSecond >= 1e6 ? fixed(perSecond / 1e6, 1) + " M" : fixed(perSecond / 1e3, 1) + " k"
    print(pad(m.name, 32) + pad(fixed(Double(m.bytes) / m.seconds / 1e6, 0), 9, right: true)
        + pad(rate, 12, right: true) + pad(fixed(m.seconds * 1e3, 1), 10, right: true))
}
