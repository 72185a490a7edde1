import RESP
import XCTest

/// The UTF-8 bytes of `text`: wire samples read best as string literals.
func wire(_ text: String) -> [UInt8] { Array(text.utf8) }

/// Every value in `chunks`, fed one chunk at a time and drained after each, as a socket
/// reader would. Fails the test if bytes are left over.
func parseAll(
    _ chunks: [[UInt8]], parser: RESPParser = RESPParser(),
    file: StaticString = #filePath, line: UInt = #line
) throws -> [RESPValue] {
    var parser = parser
    var values: [RESPValue] = []
    for chunk in chunks {
        parser.append(chunk)
        while let value = try parser.next() { values.append(value) }
    }
    XCTAssertEqual(parser.bufferedByteCount, 0, "unconsumed bytes", file: file, line: line)
    return values
}

func parseAll(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws -> [RESPValue] {
    try parseAll([bytes], file: file, line: line)
}

/// `bytes` cut into pieces of `size` (the last may be shorter).
func chunked(_ bytes: [UInt8], size: Int) -> [[UInt8]] {
    stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
}

/// The single value `bytes` holds, failing the test if there is not exactly one.
func parseOne(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws -> RESPValue? {
    let values = try parseAll([bytes], file: file, line: line)
    XCTAssertEqual(values.count, 1, "expected one value", file: file, line: line)
    return values.first
}

/// The protocol error `chunks` raise when fed in order, or nil if they raise none.
func protocolError(_ chunks: [[UInt8]], parser: RESPParser = RESPParser()) -> RESPProtocolError? {
    var parser = parser
    do {
        for chunk in chunks {
            parser.append(chunk)
            while try parser.next() != nil {}
        }
        return nil
    } catch {
        return error
    }
}

/// The protocol error `chunks` raise through `skipNext()`, or nil if they raise none.
func skipError(_ chunks: [[UInt8]], parser: RESPParser = RESPParser()) -> RESPProtocolError? {
    var parser = parser
    do {
        for chunk in chunks {
            parser.append(chunk)
            while try parser.skipNext() {}
        }
        return nil
    } catch {
        return error
    }
}

extension UInt8 {
    /// A type byte in test expectations: `.ascii("$")`.
    static func ascii(_ scalar: Unicode.Scalar) -> UInt8 { UInt8(ascii: scalar) }
}
