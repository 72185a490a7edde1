import RESP
import XCTest

/// The encoder's output, byte for byte.
final class RESPEncoderTests: XCTestCase {
    private func assertEncodes(_ value: RESPValue, _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(
            String(decoding: RESPEncoder.encode(value), as: UTF8.self), expected,
            file: file, line: line
        )
    }

    func testCommand() {
        XCTAssertEqual(RESPEncoder.command("GET", "k"), wire("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"))
        XCTAssertEqual(RESPEncoder.command([wire("PING")]), wire("*1\r\n$4\r\nPING\r\n"))
        XCTAssertEqual(RESPEncoder.command(), wire("*0\r\n"))
        XCTAssertEqual(RESPEncoder.command("SET", "", "é"), wire("*3\r\n$3\r\nSET\r\n$0\r\n\r\n$2\r\né\r\n"))
    }

    func testCommandSizesAreExact() {
        let command = RESPEncoder.command([wire("SET"), [UInt8](repeating: 7, count: 12345)])
        XCTAssertEqual(command.count, 4 + 9 + 8 + 12345 + 2)
        XCTAssertEqual(Array(command[13..<21]), wire("$12345\r\n"))
    }

    func testEncodeCommandAppends() {
        var buffer = wire("prefix")
        RESPEncoder.encodeCommand([wire("INCR"), wire("n")], into: &buffer)
        RESPEncoder.encodeCommand([wire("GET"), wire("n")], into: &buffer)
        XCTAssertEqual(buffer, wire("prefix*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n*2\r\n$3\r\nGET\r\n$1\r\nn\r\n"))
    }

    func testMultiDigitLengths() {
        for length in [9, 10, 99, 100, 999, 1000, 65536, 1_000_000] {
            let arg = [UInt8](repeating: 0x61, count: length)
            let encoded = RESPEncoder.command([arg])
            XCTAssertEqual(Array(encoded.prefix(5 + String(length).count + 2)), wire("*1\r\n$\(length)\r\n"))
            XCTAssertEqual(encoded.count, 4 + 1 + String(length).count + 2 + length + 2)
        }
        let many = [[UInt8]](repeating: [], count: 120)
        XCTAssertEqual(Array(RESPEncoder.command(many).prefix(6)), wire("*120\r\n"))
    }

    func testScalars() {
        assertEncodes(.simpleString(wire("OK")), "+OK\r\n")
        assertEncodes(.error(wire("ERR bad")), "-ERR bad\r\n")
        assertEncodes(.integer(0), ":0\r\n")
        assertEncodes(.integer(-42), ":-42\r\n")
        assertEncodes(.integer(.max), ":9223372036854775807\r\n")
        assertEncodes(.integer(.min), ":-9223372036854775808\r\n")
        assertEncodes(.bulk("hello"), "$5\r\nhello\r\n")
        assertEncodes(.bulkString([]), "$0\r\n\r\n")
        assertEncodes(.bulkString(nil), "$-1\r\n")
        assertEncodes(.null, "_\r\n")
        assertEncodes(.boolean(true), "#t\r\n")
        assertEncodes(.boolean(false), "#f\r\n")
        assertEncodes(.bigNumber(wire("-123456789012345678901234567890")), "(-123456789012345678901234567890\r\n")
        assertEncodes(.bulkError(wire("SYNTAX bad")), "!10\r\nSYNTAX bad\r\n")
        assertEncodes(.verbatimString(format: wire("txt"), text: wire("Some string")), "=15\r\ntxt:Some string\r\n")
    }

    func testDoubles() {
        assertEncodes(.double(3.14), ",3.14\r\n")
        assertEncodes(.double(-2.5), ",-2.5\r\n")
        assertEncodes(.double(10), ",10.0\r\n")
        assertEncodes(.double(1e-5), ",1e-05\r\n")
        assertEncodes(.double(.infinity), ",inf\r\n")
        assertEncodes(.double(-.infinity), ",-inf\r\n")
        assertEncodes(.double(.nan), ",nan\r\n")
    }

    func testAggregates() {
        assertEncodes(.array([]), "*0\r\n")
        assertEncodes(.array(nil), "*-1\r\n")
        assertEncodes(.array([.integer(1), .bulk("a")]), "*2\r\n:1\r\n$1\r\na\r\n")
        assertEncodes(.map([RESPPair(.simpleString(wire("a")), .integer(1))]), "%1\r\n+a\r\n:1\r\n")
        assertEncodes(.set([.boolean(true)]), "~1\r\n#t\r\n")
        assertEncodes(.push([.bulk("message")]), ">1\r\n$7\r\nmessage\r\n")
        assertEncodes(
            .attribute([RESPPair(.simpleString(wire("ttl")), .integer(3))], .array([.null])),
            "|1\r\n+ttl\r\n:3\r\n*1\r\n_\r\n"
        )
    }
}
