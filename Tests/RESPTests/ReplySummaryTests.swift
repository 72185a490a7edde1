import XCTest
@testable import RESP

/// A load generator classifies replies from their wire bytes, never building them: the
/// classification must match what the full parser would build, however bytes arrive.
final class ReplySummaryTests: XCTestCase {
    private func summaries(_ wire: String, chunk: Int = 1) throws -> [RESPReplySummary] {
        let bytes = Array(wire.utf8)
        var parser = RESPParser()
        var out: [RESPReplySummary] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + chunk, bytes.count)
            parser.append(Array(bytes[offset..<end]))
            offset = end
            while let s = try parser.skipNext(inspecting: { RESPReplySummary(wire: $0) }) { out.append(s) }
        }
        XCTAssertEqual(parser.bufferedByteCount, 0)
        return out
    }

    func testEveryShapeALoadGeneratorBranchesOn() throws {
        let wire = "+OK\r\n-ERR no\r\n:42\r\n:-7\r\n$3\r\nabc\r\n$-1\r\n_\r\n#t\r\n#f\r\n"
            + "*3\r\n:1\r\n:99\r\n:5\r\n*2\r\n$1\r\nx\r\n:1\r\n*-1\r\n*0\r\n>2\r\n$3\r\nmsg\r\n$1\r\ny\r\n,1.5\r\n!5\r\nBUSY!\r\n"
        for chunk in [1, 2, 5, 1000] {
            let s = try summaries(wire, chunk: chunk)
            XCTAssertEqual(s, [
                .init(kind: .simpleString), .init(kind: .error), .init(kind: .integer, integer: 42),
                .init(kind: .integer, integer: -7), .init(kind: .bulkString), .init(kind: .null), .init(kind: .null),
                .init(kind: .boolean, integer: 1), .init(kind: .boolean, integer: 0),
                .init(kind: .aggregate, integer: 1), .init(kind: .aggregate), .init(kind: .null), .init(kind: .aggregate),
                .init(kind: .push), .init(kind: .other), .init(kind: .error),
            ], "chunk \(chunk)")
        }
    }

    func testErrorTextComesBackVerbatim() throws {
        var parser = RESPParser()
        parser.append(Array("-OOM command not allowed\r\n!9\r\nBUSY busy\r\n+OK\r\n".utf8))
        let texts = try (0..<3).map { _ in try parser.skipNext(inspecting: { RESPReplySummary.errorText(wire: $0) }) }
        XCTAssertEqual(texts, [.some("OOM command not allowed"), .some("BUSY busy"), .some(nil)])
    }

    func testIncompleteValueIsNotConsumed() throws {
        var parser = RESPParser()
        parser.append(Array("$5\r\nhel".utf8))
        XCTAssertNil(try parser.skipNext(inspecting: { _ in true }))
        parser.append(Array("lo\r\n".utf8))
        XCTAssertEqual(try parser.skipNext(inspecting: { $0.count }), 11)
    }

    func testProtocolErrorsAreThrownAsFromNext() {
        var parser = RESPParser()
        parser.append(Array("?\r\n".utf8))
        XCTAssertThrowsError(try parser.skipNext(inspecting: { _ in 0 }))
    }
}
