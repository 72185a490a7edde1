/// Why a byte stream is not valid RESP.
///
/// Any of these means the stream is desynchronised: there is no reliable way to find the
/// start of the next reply, so the connection should be closed. `RESPParser` therefore
/// keeps throwing the same error once it has thrown one.
///
/// Type bytes are kept as raw `UInt8` so that a garbage byte can be reported exactly;
/// `description` renders them readably.
public enum RESPProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The first byte of a value is not one of `+ - : $ * _ # , ( ! = % ~ | >`.
    case unknownType(UInt8)
    /// A length or count is not a decimal number: empty, signed other than `-1`, a stray
    /// character, more than 19 digits, or `-1` on a type that has no null form.
    case invalidLength(type: UInt8)
    /// A declared length or count exceeds `limit`. Raised as soon as the digits show it,
    /// before any payload arrives, so a hostile peer cannot make the parser buffer it.
    case lengthTooLarge(type: UInt8, limit: Int)
    /// RESP3 streamed strings and aggregates (`$?`, `*?`, …) are not supported; Redis
    /// itself never sends them.
    case streamedTypeUnsupported(type: UInt8)
    /// A `:` reply that is not a decimal `Int64` (at most 19 digits, optional sign).
    case invalidInteger
    /// A `,` reply that is not a decimal double, `inf`, `-inf` or `nan`.
    case invalidDouble
    /// A `#` reply other than `#t` or `#f`.
    case invalidBoolean
    /// A `(` reply that is not an optionally signed run of decimal digits.
    case invalidBigNumber
    /// A `=` reply shorter than four bytes or without the `:` after its three-byte format.
    case invalidVerbatimString
    /// A line or a bulk payload is not followed by CR LF.
    case missingCRLF(type: UInt8)
    /// A line-based reply (`+ - , (`) runs past `limit` bytes without a CR LF.
    case lineTooLong(type: UInt8, limit: Int)
    /// Aggregates nest deeper than `limit`; the limit bounds the parser's recursion.
    case nestingTooDeep(limit: Int)
    /// One value takes more than `limit` bytes on the wire (`RESPBudget.maxBytes`): raised
    /// as soon as that many bytes of it are buffered, whatever follows.
    case valueTooLarge(limit: Int)
    /// One value holds more than `limit` values in all (`RESPBudget.maxElements`): raised
    /// at the aggregate header that declares one too many.
    case tooManyElements(limit: Int)

    public var description: String { "protocol error: \(reason)" }

    /// The description without its "protocol error: " lead, for callers that add their own.
    public var reason: String {
        switch self {
        case .unknownType(let byte):
            return "unknown RESP type byte \(Self.render(byte))"
        case .invalidLength(let type):
            return "invalid length in \(Self.render(type)) header"
        case .lengthTooLarge(let type, let limit):
            return "\(Self.render(type)) length exceeds the limit of \(limit)"
        case .streamedTypeUnsupported(let type):
            return "streamed RESP3 \(Self.render(type)) values are not supported"
        case .invalidInteger:
            return "invalid integer reply"
        case .invalidDouble:
            return "invalid double reply"
        case .invalidBoolean:
            return "invalid boolean reply (expected #t or #f)"
        case .invalidBigNumber:
            return "invalid big number reply"
        case .invalidVerbatimString:
            return "invalid verbatim string (expected a 3-byte format and ':')"
        case .missingCRLF(let type):
            return "missing CRLF terminator in \(Self.render(type)) value"
        case .lineTooLong(let type, let limit):
            return "\(Self.render(type)) line longer than \(limit) bytes"
        case .nestingTooDeep(let limit):
            return "aggregates nested deeper than \(limit) levels"
        case .valueTooLarge(let limit):
            return "reply larger than the \(limit)-byte budget for this command"
        case .tooManyElements(let limit):
            return "reply with more than \(limit) elements, the budget for this command"
        }
    }

    /// `'$'` for printable ASCII, `0x0A` otherwise, so control bytes stay on one line.
    private static func render(_ byte: UInt8) -> String {
        if byte > 0x20 && byte < 0x7F {
            return "'\(Character(Unicode.Scalar(byte)))'"
        }
        let hex = String(byte, radix: 16, uppercase: true)
        return byte < 0x10 ? "0x0\(hex)" : "0x\(hex)"
    }
}
