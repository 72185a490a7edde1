/// Writes RESP: commands as clients send them, and any `RESPValue` for tests and fake peers.
///
/// Encoding appends to a caller-owned buffer so a pipeline of commands can share one
/// allocation, and numbers are written as digits directly, never through `String`.
public enum RESPEncoder {
    /// Appends a command: an array of bulk strings, the only form Redis accepts from clients.
    ///
    /// The exact size is computed first so the buffer grows (and is uniqueness-checked)
    /// once per command rather than once per piece; the bytes are then written in place.
    public static func encodeCommand(_ args: [[UInt8]], into buffer: inout [UInt8]) {
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: commandSize(args)))
        buffer.withUnsafeMutableBufferPointer { out in
            guard let base = out.baseAddress else { return }
            var at = writeHeader(RESPByte.array, UInt64(args.count), at: base + start)
            // Indexing rather than `for arg in args` spares a retain/release per argument.
            for i in args.indices {
                at = writeHeader(RESPByte.bulkString, UInt64(args[i].count), at: at)
                args[i].withUnsafeBufferPointer { bytes in
                    if let source = bytes.baseAddress { at.update(from: source, count: bytes.count) }
                    at += bytes.count
                }
                at = writeCRLF(at: at)
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
            appendLine(RESPByte.simpleString, bytes, to: &buffer)
        case .error(let bytes):
            appendLine(RESPByte.simpleError, bytes, to: &buffer)
        case .integer(let number):
            appendHeader(RESPByte.integer, number.magnitude, negative: number < 0, to: &buffer)
        case .bulkString(let bytes?):
            appendBulk(RESPByte.bulkString, bytes, to: &buffer)
        case .bulkString(nil):
            appendHeader(RESPByte.bulkString, 1, negative: true, to: &buffer)
        case .array(let elements?):
            appendHeader(RESPByte.array, UInt64(elements.count), to: &buffer)
            for element in elements { encode(element, into: &buffer) }
        case .array(nil):
            appendHeader(RESPByte.array, 1, negative: true, to: &buffer)
        case .null:
            appendLine(RESPByte.null, [], to: &buffer)
        case .boolean(let flag):
            appendLine(RESPByte.boolean, [flag ? UInt8(ascii: "t") : UInt8(ascii: "f")], to: &buffer)
        case .double(let number):
            appendLine(RESPByte.double, Array(doubleText(number).utf8), to: &buffer)
        case .bigNumber(let digits):
            appendLine(RESPByte.bigNumber, digits, to: &buffer)
        case .bulkError(let bytes):
            appendBulk(RESPByte.bulkError, bytes, to: &buffer)
        case .verbatimString(let format, let text):
            appendHeader(RESPByte.verbatimString, UInt64(format.count + 1 + text.count), to: &buffer)
            buffer.append(contentsOf: format)
            buffer.append(RESPByte.colon)
            buffer.append(contentsOf: text)
            appendCRLF(to: &buffer)
        case .map(let pairs):
            appendPairs(RESPByte.map, pairs, to: &buffer)
        case .set(let elements):
            appendHeader(RESPByte.set, UInt64(elements.count), to: &buffer)
            for element in elements { encode(element, into: &buffer) }
        case .attribute(let pairs, let annotated):
            appendPairs(RESPByte.attribute, pairs, to: &buffer)
            encode(annotated, into: &buffer)
        case .push(let elements):
            appendHeader(RESPByte.push, UInt64(elements.count), to: &buffer)
            for element in elements { encode(element, into: &buffer) }
        }
    }

    /// `value` in its wire form, in a new buffer.
    public static func encode(_ value: RESPValue) -> [UInt8] {
        var buffer: [UInt8] = []
        encode(value, into: &buffer)
        return buffer
    }

    // MARK: - Pieces

    private static func commandSize(_ args: [[UInt8]]) -> Int {
        var size = 3 + decimalWidth(UInt64(args.count))
        for i in args.indices {
            let count = args[i].count
            size += 5 + decimalWidth(UInt64(count)) + count
        }
        return size
    }

    /// The spec's spellings for non-finite values; finite ones use Swift's shortest
    /// round-tripping form (`3.14`, `1e-05`), which the parser reads back exactly.
    private static func doubleText(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        return number.description
    }

    private static func appendLine(_ type: UInt8, _ bytes: [UInt8], to buffer: inout [UInt8]) {
        buffer.append(type)
        buffer.append(contentsOf: bytes)
        appendCRLF(to: &buffer)
    }

    private static func appendBulk(_ type: UInt8, _ bytes: [UInt8], to buffer: inout [UInt8]) {
        appendHeader(type, UInt64(bytes.count), to: &buffer)
        buffer.append(contentsOf: bytes)
        appendCRLF(to: &buffer)
    }

    private static func appendPairs(_ type: UInt8, _ pairs: [RESPPair], to buffer: inout [UInt8]) {
        appendHeader(type, UInt64(pairs.count), to: &buffer)
        for pair in pairs {
            encode(pair.key, into: &buffer)
            encode(pair.value, into: &buffer)
        }
    }

    private static func appendCRLF(to buffer: inout [UInt8]) {
        buffer.append(RESPByte.cr)
        buffer.append(RESPByte.lf)
    }

    /// Appends `type`, the decimal number and CR LF: every header and integer reply.
    private static func appendHeader(_ type: UInt8, _ magnitude: UInt64, negative: Bool = false, to buffer: inout [UInt8]) {
        let start = buffer.count
        let size = 3 + decimalWidth(magnitude) + (negative ? 1 : 0)
        buffer.append(contentsOf: repeatElement(0, count: size))
        buffer.withUnsafeMutableBufferPointer { out in
            guard let base = out.baseAddress else { return }
            _ = writeHeader(type, magnitude, negative: negative, at: base + start)
        }
    }

    /// Writes `type`, the decimal number and CR LF at `at`, returning the next position.
    /// The magnitude is unsigned so that `Int64.min` needs no special case.
    @inline(__always)
    private static func writeHeader(
        _ type: UInt8, _ magnitude: UInt64, negative: Bool = false, at: UnsafeMutablePointer<UInt8>
    ) -> UnsafeMutablePointer<UInt8> {
        at[0] = type
        var digitsStart = at + 1
        if negative {
            digitsStart[0] = RESPByte.minus
            digitsStart += 1
        }
        let width = decimalWidth(magnitude)
        var rest = magnitude
        var i = width
        repeat {
            i -= 1
            digitsStart[i] = RESPByte.zero &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        } while i > 0
        return writeCRLF(at: digitsStart + width)
    }

    @inline(__always)
    private static func writeCRLF(at: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        at[0] = RESPByte.cr
        at[1] = RESPByte.lf
        return at + 2
    }

    @inline(__always)
    private static func decimalWidth(_ value: UInt64) -> Int {
        var width = 1
        var rest = value
        while rest >= 10 {
            rest /= 10
            width += 1
        }
        return width
    }
}
