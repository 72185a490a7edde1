import XCTest
@testable import RESP

/// Keys are bytes: whatever the encoder writes, the parser must give back unchanged,
/// however the stream is split. Keyspace tools depend on this for keys holding newlines,
/// CR LF, NUL, quotes and invalid UTF-8.
final class BinarySafeRoundTripTests: XCTestCase {
    static let awkwardKeys: [[UInt8]] = [
        Array("plain:key".utf8),
        Array("with space".utf8),
        Array("line\nbreak".utf8),
        Array("crlf\r\ninside".utf8),
        [0x00, 0x01, 0xFF, 0xFE],
        Array("quote\"back\\slash".utf8),
        Array("emoji:🔑".utf8),
        [],
    ]

    func testCommandEncodingIsLengthPrefixed() {
        let wire = RESPEncoder.command([Array("UNLINK".utf8), Array("a\r\nb".utf8)])
        XCTAssertEqual(wire, Array("*2\r\n$6\r\nUNLINK\r\n$4\r\na\r\nb\r\n".utf8))
    }

    func testBulkStringsSurviveAnySplit() throws {
        let reply = RESPValue.array([.bulkString(Array("0".utf8)), .array(Self.awkwardKeys.map { .bulkString($0) })])
        var wire: [UInt8] = []
        RESPEncoder.encode(reply, into: &wire)
        for chunk in [1, 3, 7, wire.count] {
            var parser = RESPParser()
            var values: [RESPValue] = []
            var offset = 0
            while offset < wire.count {
                let end = min(offset + chunk, wire.count)
                parser.append(Array(wire[offset..<end]))
                offset = end
                while let v = try parser.next() { values.append(v) }
            }
            XCTAssertEqual(values, [reply], "chunk size \(chunk)")
        }
    }
}
