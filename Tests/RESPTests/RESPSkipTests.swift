import RESP
import XCTest

/// `skipNext()` must consume exactly what `next()` would, and classify errors the same way.
final class RESPSkipTests: XCTestCase {
    private static let stream: [UInt8] = {
        var bytes: [UInt8] = []
        for value in Samples.values { RESPEncoder.encode(value, into: &bytes) }
        return bytes
    }()

    private func skipAll(_ chunks: [[UInt8]]) throws -> [RESPParser.SkipResult] {
        var parser = RESPParser()
        var kinds: [RESPParser.SkipResult] = []
        for chunk in chunks {
            parser.append(chunk)
            while let kind = try parser.skipNextReturningKind() { kinds.append(kind) }
        }
        XCTAssertEqual(parser.bufferedByteCount, 0)
        return kinds
    }

    func testSkipCountsAndKindsAgreeWithNext() throws {
        let expected = Samples.values.map { $0.isError ? RESPParser.SkipResult.error : .value }
        XCTAssertEqual(expected.filter { $0 == .error }.count, 3, "the samples should include error replies")
        XCTAssertEqual(try skipAll([Self.stream]), expected)
        XCTAssertEqual(try skipAll(chunked(Self.stream, size: 1)), expected)
        XCTAssertEqual(try skipAll(chunked(Self.stream, size: 17)), expected)
    }

    func testSkipAtEverySplitPoint() throws {
        let stream = Self.stream
        for cut in 0...stream.count {
            let kinds = try skipAll([Array(stream[..<cut]), Array(stream[cut...])])
            XCTAssertEqual(kinds.count, Samples.values.count, "split at \(cut)")
        }
    }

    func testSkipNextReportsProgress() throws {
        var parser = RESPParser()
        XCTAssertFalse(try parser.skipNext())
        parser.append(wire("+OK\r\n$5\r\nhel"))
        XCTAssertTrue(try parser.skipNext())
        XCTAssertEqual(parser.bufferedByteCount, 7)
        XCTAssertFalse(try parser.skipNext())
        XCTAssertEqual(parser.bufferedByteCount, 7)
        parser.append(wire("lo\r\n"))
        XCTAssertTrue(try parser.skipNext())
        XCTAssertEqual(parser.bufferedByteCount, 0)
    }

    func testErrorKinds() throws {
        XCTAssertEqual(try skipAll([wire("-ERR x\r\n")]), [.error])
        XCTAssertEqual(try skipAll([wire("!3\r\nERR\r\n")]), [.error])
        XCTAssertEqual(try skipAll([wire("+OK\r\n")]), [.value])
        // An error inside an aggregate is not an error reply.
        XCTAssertEqual(try skipAll([wire("*1\r\n-ERR\r\n")]), [.value])
        // Attributes are looked through, only at their annotated value.
        XCTAssertEqual(try skipAll([wire("|1\r\n-k\r\n-v\r\n:1\r\n")]), [.value])
        XCTAssertEqual(try skipAll([wire("|1\r\n+k\r\n+v\r\n-ERR\r\n")]), [.error])
        XCTAssertEqual(try skipAll([wire("|1\r\n+k\r\n+v\r\n|0\r\n!1\r\nE\r\n")]), [.error])
    }

    func testSkipThenNextContinueTheSameStream() throws {
        var parser = RESPParser()
        parser.append(wire("*2\r\n:1\r\n:2\r\n$1\r\nx\r\n"))
        XCTAssertEqual(try parser.skipNextReturningKind(), .value)
        XCTAssertEqual(try parser.next(), .bulk("x"))
        XCTAssertNil(try parser.next())
    }
}
