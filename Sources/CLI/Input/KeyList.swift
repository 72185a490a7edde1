/// Keys read from a file or stdin (`invalidate --keys-from`), checked completely before
/// any is used, so a malformed list deletes nothing.
///
/// Line format (the default) is what `keys list` prints: one key per line, taken as the
/// raw bytes of the line, except that a line starting with `"` is a quoted key with
/// redis-cli escapes (`\\ \" \n \r \t \a \b \xNN`). An empty line, a control character
/// outside quotes (a CR from a Windows editor, say) or a broken quoted key is an error:
/// guessing would delete the wrong key. NUL format (`-0`, as `keys list -0` and
/// `find -print0` write) takes every byte but NUL; only empty records are errors.
public struct KeyList: Sequence, Sendable {
    public enum Format: Sendable, Equatable {
        case lines, nulSeparated
    }

    public struct Malformed: Error, Sendable, Equatable, CustomStringConvertible {
        /// 1-based line or record number.
        public var record: Int
        public var reason: String
        public var description: String { "record \(record): \(reason)" }
    }

    public let format: Format
    public let count: Int
    private let data: [UInt8]

    /// Parses and checks every record; the keys are decoded again, lazily, when iterated.
    public init(_ data: [UInt8], format: Format) throws(Malformed) {
        self.data = data
        self.format = format
        var records = RecordIterator(data: data, format: format)
        var n = 0
        while let key = records.nextRecord() {
            if case .failure(let reason) = key { throw Malformed(record: n + 1, reason: reason.reason) }
            n += 1
        }
        count = n
    }

    public func makeIterator() -> Iterator {
        Iterator(records: RecordIterator(data: data, format: format))
    }

    public struct Iterator: IteratorProtocol {
        fileprivate var records: RecordIterator

        public mutating func next() -> [UInt8]? {
            // Every record was checked in init, so there are no failures left to see.
            guard case .success(let key)? = records.nextRecord() else { return nil }
            return key
        }
    }
}

private struct RecordIterator {
    let data: [UInt8]
    let format: KeyList.Format
    var position = 0

    mutating func nextRecord() -> Result<[UInt8], KeyListFailure>? {
        guard position < data.count else { return nil }
        let separator: UInt8 = format == .lines ? 0x0A : 0x00
        let end = data[position...].firstIndex(of: separator) ?? data.count
        let record = data[position..<end]
        position = end + 1
        if record.isEmpty {
            return .failure(KeyListFailure(format == .lines ? "empty line (an empty key is written \"\")" : "empty record"))
        }
        if format == .nulSeparated { return .success(Array(record)) }
        if record.first == UInt8(ascii: "\"") { return Self.unquote(record) }
        if let bad = record.first(where: { $0 < 0x20 || $0 == 0x7F }) {
            let what = bad == 0x0D ? "a carriage return (CRLF line endings?)" : "a control character"
            return .failure(KeyListFailure("\(what) outside quotes; quote the key or use -0"))
        }
        return .success(Array(record))
    }

    /// The inverse of `quotedKey`.
    static func unquote(_ record: ArraySlice<UInt8>) -> Result<[UInt8], KeyListFailure> {
        var out: [UInt8] = []
        var i = record.startIndex + 1
        while i < record.endIndex {
            let b = record[i]
            if b == UInt8(ascii: "\"") {
                return i + 1 == record.endIndex ? .success(out) : .failure(KeyListFailure("text after the closing quote"))
            }
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                i += 1
                continue
            }
            guard i + 1 < record.endIndex else { break }
            let e = record[i + 1]
            switch e {
            case UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(e)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "a"): out.append(0x07)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "x"):
                guard i + 3 < record.endIndex, let hi = hexValue(record[i + 2]), let lo = hexValue(record[i + 3]) else {
                    return .failure(KeyListFailure("\\x needs two hex digits"))
                }
                out.append(hi << 4 | lo)
                i += 2
            default:
                return .failure(KeyListFailure("unknown escape \\\(Character(Unicode.Scalar(e < 0x80 ? e : 0x3F)))"))
            }
            i += 2
        }
        return .failure(KeyListFailure("no closing quote"))
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

private struct KeyListFailure: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
