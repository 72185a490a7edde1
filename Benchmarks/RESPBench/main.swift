// Throughput of the RESP codec on the shapes a Redis client meets: long pipelines of tiny
// replies, large values arriving in socket-sized chunks, and command encoding.
// Build with `swift build -c release --product RESPBench`; each case reports its best run.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RESP

/// Monotonic seconds: wall-clock time can jump, which would corrupt short measurements.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

struct Measurement {
    var name: String
    var bytes: Int
    var items: Int
    var seconds: Double
}

let runs = 5
/// An optional argument selects the cases whose name contains it, for profiling one case.
let filter = CommandLine.arguments.dropFirst().first

/// Runs `body` a few times and keeps the fastest: the others measure machine noise.
/// `body` returns a checksum so the optimiser cannot drop the work.
func measure(_ name: String, bytes: Int, items: Int, _ body: () throws -> Int) rethrows -> Measurement? {
    if let filter, !name.contains(filter) { return nil }
    var best = Double.infinity
    for _ in 0..<runs {
        let start = now()
        let checksum = try body()
        let elapsed = now() - start
        precondition(checksum == items, "\(name): processed \(checksum) items, expected \(items)")
        best = min(best, elapsed)
    }
    return Measurement(name: name, bytes: bytes, items: items, seconds: best)
}

/// Feeds `stream` to a fresh parser in `chunk`-byte pieces, draining after each one.
func feed(_ stream: [UInt8], chunk: Int, drain: (inout RESPParser) throws -> Int) rethrows -> Int {
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

// MARK: - Inputs

let smallReplyCount = 1_000_000
let smallReplies: [UInt8] = {
    let shapes: [[UInt8]] = [Array("+OK\r\n".utf8), Array(":123\r\n".utf8), Array("$5\r\nhello\r\n".utf8)]
    var stream: [UInt8] = []
    for i in 0..<smallReplyCount { stream += shapes[i % shapes.count] }
    return stream
}()

func bulkStream(count: Int, size: Int) -> [UInt8] {
    var one: [UInt8] = []
    RESPEncoder.encode(.bulkString((0..<size).map { UInt8(truncatingIfNeeded: $0) }), into: &one)
    var stream: [UInt8] = []
    stream.reserveCapacity(one.count * count)
    for _ in 0..<count { stream += one }
    return stream
}

let mib = 1 << 20
let kib = 1 << 10
let bigBulks = bulkStream(count: 64, size: mib)
let mediumBulks = bulkStream(count: 1_000, size: 64 * kib)

// MARK: - Cases

var results: [Measurement] = []
func record(_ measurement: Measurement?) {
    if let measurement { record(measurement) }
}

record(try measure("small replies, next()", bytes: smallReplies.count, items: smallReplyCount) {
    try feed(smallReplies, chunk: 16 * kib, drain: drainValues)
})
record(try measure("small replies, skipNext()", bytes: smallReplies.count, items: smallReplyCount) {
    try feed(smallReplies, chunk: 16 * kib, drain: drainSkipping)
})
record(try measure("64 x 1 MiB bulk, next()", bytes: bigBulks.count, items: 64) {
    try feed(bigBulks, chunk: 64 * kib, drain: drainValues)
})
record(try measure("64 x 1 MiB bulk, skipNext()", bytes: bigBulks.count, items: 64) {
    try feed(bigBulks, chunk: 64 * kib, drain: drainSkipping)
})
record(try measure("1000 x 64 KiB bulk, next()", bytes: mediumBulks.count, items: 1_000) {
    try feed(mediumBulks, chunk: 64 * kib, drain: drainValues)
})

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

/// Encodes every `SET key:N value`, handing the buffer off every 64 KiB as a socket write
/// would; returns the number of bytes produced.
func encodeSets() -> Int {
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

let setBytes = encodeSets()
record(measure("encodeCommand SET key:N value", bytes: setBytes, items: setCount) {
    encodeSets() == setBytes ? setCount : 0
})

// MARK: - Report

func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - text.count))
    return right ? fill + text : text + fill
}

func fixed(_ value: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = String(rounded)
    if let dot = text.firstIndex(of: ".") {
        let have = text.distance(from: dot, to: text.endIndex) - 1
        text += String(repeating: "0", count: max(0, decimals - have))
    }
    return text
}

print("RESP codec throughput, best of \(runs) runs")
print(pad("case", 32) + pad("MB/s", 10, right: true) + pad("values/s", 14, right: true) + pad("ms", 10, right: true))
print(String(repeating: "-", count: 66))
for m in results {
    let mbps = Double(m.bytes) / m.seconds / 1e6
    let perSecond = Double(m.items) / m.seconds
    let rate = perSecond >= 1e6 ? fixed(perSecond / 1e6, 1) + " M" : fixed(perSecond, 0)
    print(pad(m.name, 32) + pad(fixed(mbps, 0), 10, right: true) + pad(rate, 14, right: true)
        + pad(fixed(m.seconds * 1e3, 1), 10, right: true))
}
