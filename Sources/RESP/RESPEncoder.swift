/// Writes RESP: commands as clients send them, and any `RESPValue` for tests and fake peers.
///
/// Encoding appends to a caller-owned buffer so a pipeline of commands can share one
/// allocation, and lengths are written as digits directly, never through `String`.
public enum RESPEncoder {
    /// Appends a command: an array of bulk strings, the only form Redis accepts from clients.
    ///
    /// The exact size is computed first so the buffer grows (and is uniqueness-checked)
    /// once per command rather than once per piece; the bytes are then written directly.
    public static func encodeCommand(_ args: [[UInt8]], into buffer: inout [UInt8]) {
        let size = commandSize(args)
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: size))
        buffer.withUnsafeMutableBufferPointer { out in
            guard let base = out.baseAddress else { return }
            var at = base + start
            at = writeHeader(RESPByte.array, args.count, at)
            for i in args.indices {
                at = writeHeader(RESPByte.bulkString, args[i].count, at)
                args[i].withUnsafeBufferPointer { bytes in
                    if let source = bytes.baseAddress { at.update(from: source, count: bytes.count) }
                    at += bytes.count
                }
                at[0] = RESPByte.cr
                at[1] = RESPByte.lf
                at += 2
            }
        }
    }

    /// A command in a buffer of exactly the right size.
    public static func command(_ args: [[UInt8]]) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(commandSize(args))
        encodeCommand(args, into: &buffer)
        return buffer
    }

    @inline(__always)
    private static func commandSize(_ args: [[UInt8]]) -> Int {
        var size = 3 + decimalWidth(UInt64(args.count))
        for i in args.indices {
            let count = args[i].count
            size += 5 + decimalWidth(UInt64(count)) + count
        }
        return size
    }

    /// Writes `type`, the decimal `count` and CR LF at `at`, returning the next position.
    @inline(__always)
    private static func writeHeader(_ type: UInt8, _ count: Int, _ at: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        at[0] = type
        let width = decimalWidth(UInt64(count))
        var rest = count
        var i = width
        repeat {
            at[i] = RESPByte.zero &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
            i -= 1
        } while i > 0
        at[width + 1] = RESPByte.cr
        at[width + 2] = RESPByte.lf
        return at + width + 3
    }

    /// A command from text arguments, sent as their UTF-8 bytes.
    public static func command(_ args: String...) -> [UInt8] {
        command(args.map { Array($0.utf8) })
    }

    /// Appends `value` in its wire form. The caller must keep CR and LF out of simple
    /// strings, simple errors and big numbers, and give verbatim strings a three-byte
    /// format: those forms cannot carry anything else, and this writes bytes as given.
    public static func encode(_ value: RESPValue, into buffer: inout [UInt8]) {
        switch value {
        case .simpleString(let bytes):
            appendLine(bytes, type: RESPByte.simpleString, to: &buffer)
        case .error(let bytes):
            appendLine(bytes, type: RESPByte.simpleError, to: &buffer)
        case .integer(let number):
            buffer.append(RESPByte.integer)
            if number < 0 { buffer.append(RESPByte.minus) }
            appendDecimal(number.magnitude, to: &buffer)
            appendCRLF(to: &buffer)
        case .bulkString(let bytes?):
            appendBulk(bytes, type: RESPByte.bulkString, to: &buffer)
        case .bulkString(nil):
            appendNull(type: RESPByte.bulkString, to: &buffer)
        case .array(let elements?):
            appendAggregate(elements, type: RESPByte.array, to: &buffer)
        case .array(nil):
            appendNull(type: RESPByte.array, to: &buffer)
        case .null:
            buffer.append(RESPByte.null)
            appendCRLF(to: &buffer)
        case .boolean(let flag):
            buffer.append(RESPByte.boolean)
            buffer.append(flag ? UInt8(ascii: "t") : UInt8(ascii: "f"))
            appendCRLF(to: &buffer)
        case .double(let number):
            appendLine(Array(doubleText(number).utf8), type: RESPByte.double, to: &buffer)
        case .bigNumber(let digits):
            appendLine(digits, type: RESPByte.bigNumber, to: &buffer)
        case .bulkError(let bytes):
            appendBulk(bytes, type: RESPByte.bulkError, to: &buffer)
        case .verbatimString(let format, let text):
            buffer.append(RESPByte.verbatimString)
            appendDecimal(UInt64(format.count + 1 + text.count), to: &buffer)
            appendCRLF(to: &buffer)
            buffer.append(contentsOf: format)
            buffer.append(RESPByte.colon)
            buffer.append(contentsOf: text)
            appendCRLF(to: &buffer)
        case .map(let pairs):
            appendPairs(pairs, type: RESPByte.map, to: &buffer)
        case .set(let elements):
            appendAggregate(elements, type: RESPByte.set, to: &buffer)
        case .attribute(let pairs, let annotated):
            appendPairs(pairs, type: RESPByte.attribute, to: &buffer)
            encode(annotated, into: &buffer)
        case .push(let elements):
            appendAggregate(elements, type: RESPByte.push, to: &buffer)
        }
    }

    /// `value` in its wire form, in a new buffer.
    public static func encode(_ value: RESPValue) -> [UInt8] {
        var buffer: [UInt8] = []
        encode(value, into: &buffer)
        return buffer
    }

    // MARK: - Pieces

    /// The spec's spellings for non-finite values; finite ones use Swift's shortest
    /// round-tripping form (`3.14`, `1e-05`), which the parser reads back exactly.
    private static func doubleText(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        return number.description
    }

    @inline(__always)
    private static func appendCRLF(to buffer: inout [UInt8]) {
        buffer.append(RESPByte.cr)
        buffer.append(RESPByte.lf)
    }

    private static func appendLine(_ bytes: [UInt8], type: UInt8, to buffer: inout [UInt8]) {
        buffer.append(type)
        buffer.append(contentsOf: bytes)
        appendCRLF(to: &buffer)
    }

    @inline(__always)
    private static func appendBulk(_ bytes: [UInt8], type: UInt8, to buffer: inout [UInt8]) {
        buffer.append(type)
        appendDecimal(UInt64(bytes.count), to: &buffer)
        appendCRLF(to: &buffer)
        buffer.append(contentsOf: bytes)
        appendCRLF(to: &buffer)
    }

    private static func appendNull(type: UInt8, to buffer: inout [UInt8]) {
        buffer.append(type)
        buffer.append(RESPByte.minus)
        buffer.append(UInt8(ascii: "1"))
        appendCRLF(to: &buffer)
    }

    private static func appendAggregate(_ elements: [RESPValue], type: UInt8, to buffer: inout [UInt8]) {
        buffer.append(type)
        appendDecimal(UInt64(elements.count), to: &buffer)
        appendCRLF(to: &buffer)
        for element in elements { encode(element, into: &buffer) }
    }

    private static func appendPairs(_ pairs: [RESPPair], type: UInt8, to buffer: inout [UInt8]) {
        buffer.append(type)
        appendDecimal(UInt64(pairs.count), to: &buffer)
        appendCRLF(to: &buffer)
        for pair in pairs {
            encode(pair.key, into: &buffer)
            encode(pair.value, into: &buffer)
        }
    }

    @inline(__always)
    static func decimalWidth(_ value: UInt64) -> Int {
        var width = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            width += 1
        }
        return width
    }

    /// Appends the decimal digits of `value`: most lengths are one or two digits, which
    /// take the direct path; longer ones are formatted most significant digit first into
    /// space appended up front.
    @inline(__always)
    static func appendDecimal(_ value: UInt64, to buffer: inout [UInt8]) {
        if value < 10 {
            buffer.append(RESPByte.zero &+ UInt8(truncatingIfNeeded: value))
            return
        }
        if value < 100 {
            buffer.append(RESPByte.zero &+ UInt8(truncatingIfNeeded: value / 10))
            buffer.append(RESPByte.zero &+ UInt8(truncatingIfNeeded: value % 10))
            return
        }
        let width = decimalWidth(value)
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(RESPByte.zero, count: width))
        buffer.withUnsafeMutableBufferPointer { out in
            var rest = value
            var i = start + width
            while rest > 0 {
                i -= 1
                out[i] = RESPByte.zero &+ UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            }
        }
    }
}
