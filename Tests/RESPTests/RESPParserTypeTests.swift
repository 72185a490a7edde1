import RESP
import XCTest

/// Each RESP2 and RESP3 type, parsed from its documented wire form into the exact value.
final class RESPParserTypeTests: XCTestCase {
    func testSimpleString() throws {
        XCTAssertEqual(try parseOne(wire("+OK\r\n")), .simpleString(wire("OK")))
        XCTAssertEqual(try parseOne(wire("+\r\n")), .simpleString([]))
        XCTAssertEqual(try parseOne(wire("+hello world\r\n")), .simpleString(wire("hello world")))
    }

    func testSimpleError() throws {
        let value = try parseOne(wire("-ERR unknown command 'FOO'\r\n"))
        XCTAssertEqual(value, .error(wire("ERR unknown command 'FOO'")))
        XCTAssertEqual(value?.isError, true)
    }

    func testInteger() throws {
        XCTAssertEqual(try parseOne(wire(":0\r\n")), .integer(0))
        XCTAssertEqual(try parseOne(wire(":1000\r\n")), .integer(1000))
        XCTAssertEqual(try parseOne(wire(":-42\r\n")), .integer(-42))
        XCTAssertEqual(try parseOne(wire(":+7\r\n")), .integer(7))
        XCTAssertEqual(try parseOne(wire(":9223372036854775807\r\n")), .integer(.max))
        XCTAssertEqual(try parseOne(wire(":-9223372036854775808\r\n")), .integer(.min))
    }

    func testBulkString() throws {
        XCTAssertEqual(try parseOne(wire("$5\r\nhello\r\n")), .bulkString(wire("hello")))
        XCTAssertEqual(try parseOne(wire("$0\r\n\r\n")), .bulkString([]))
        XCTAssertEqual(try parseOne(wire("$-1\r\n")), .bulkString(nil))
        XCTAssertEqual(try parseOne(wire("$4\r\na\r\nb\r\n")), .bulkString(wire("a\r\nb")))
    }

    func testArray() throws {
        XCTAssertEqual(try parseOne(wire("*0\r\n")), .array([]))
        XCTAssertEqual(try parseOne(wire("*-1\r\n")), .array(nil))
        XCTAssertEqual(
            try parseOne(wire("*3\r\n:1\r\n$3\r\nfoo\r\n*1\r\n+x\r\n")),
            .array([.integer(1), .bulk("foo"), .array([.simpleString(wire("x"))])])
        )
        XCTAssertEqual(try parseOne(wire("*2\r\n$-1\r\n*-1\r\n")), .array([.bulkString(nil), .array(nil)]))
    }

    func testNull() throws {
        let value = try parseOne(wire("_\r\n"))
        XCTAssertEqual(value, .null)
        XCTAssertEqual(value?.isNull, true)
    }

    func testBoolean() throws {
        XCTAssertEqual(try parseOne(wire("#t\r\n")), .boolean(true))
        XCTAssertEqual(try parseOne(wire("#f\r\n")), .boolean(false))
    }

    func testDouble() throws {
        XCTAssertEqual(try parseOne(wire(",3.14\r\n")), .double(3.14))
        XCTAssertEqual(try parseOne(wire(",-2.5\r\n")), .double(-2.5))
        XCTAssertEqual(try parseOne(wire(",10\r\n")), .double(10))
        XCTAssertEqual(try parseOne(wire(",1.5e3\r\n")), .double(1500))
        XCTAssertEqual(try parseOne(wire(",1E-2\r\n")), .double(0.01))
        XCTAssertEqual(try parseOne(wire(",+6.02e+23\r\n")), .double(6.02e23))
        XCTAssertEqual(try parseOne(wire(",.5\r\n")), .double(0.5))
        XCTAssertEqual(try parseOne(wire(",inf\r\n")), .double(.infinity))
        XCTAssertEqual(try parseOne(wire(",-inf\r\n")), .double(-.infinity))
        guard case .double(let nan)? = try parseOne(wire(",nan\r\n")) else {
            return XCTFail("nan did not parse as a double")
        }
        XCTAssertTrue(nan.isNaN)
    }

    func testBigNumber() throws {
        let digits = "3492890328409238509324850943850943825024385"
        XCTAssertEqual(try parseOne(wire("(\(digits)\r\n")), .bigNumber(wire(digits)))
        XCTAssertEqual(try parseOne(wire("(-\(digits)\r\n")), .bigNumber(wire("-" + digits)))
    }

    func testBulkError() throws {
        let value = try parseOne(wire("!21\r\nSYNTAX invalid syntax\r\n"))
        XCTAssertEqual(value, .bulkError(wire("SYNTAX invalid syntax")))
        XCTAssertEqual(value?.errorBytes, wire("SYNTAX invalid syntax"))
    }

    func testVerbatimString() throws {
        XCTAssertEqual(
            try parseOne(wire("=15\r\ntxt:Some string\r\n")),
            .verbatimString(format: wire("txt"), text: wire("Some string"))
        )
        XCTAssertEqual(try parseOne(wire("=4\r\nmkd:\r\n")), .verbatimString(format: wire("mkd"), text: []))
    }

    func testMap() throws {
        XCTAssertEqual(
            try parseOne(wire("%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n")),
            .map([RESPPair(.simpleString(wire("first")), .integer(1)), RESPPair(.simpleString(wire("second")), .integer(2))])
        )
        XCTAssertEqual(try parseOne(wire("%0\r\n")), .map([]))
    }

    func testMapKeepsOrderAndDuplicateKeys() throws {
        XCTAssertEqual(
            try parseOne(wire("%2\r\n:2\r\n+b\r\n:2\r\n+a\r\n")),
            .map([RESPPair(.integer(2), .simpleString(wire("b"))), RESPPair(.integer(2), .simpleString(wire("a")))])
        )
    }

    func testSet() throws {
        XCTAssertEqual(
            try parseOne(wire("~3\r\n+orange\r\n+apple\r\n#t\r\n")),
            .set([.simpleString(wire("orange")), .simpleString(wire("apple")), .boolean(true)])
        )
    }

    func testAttribute() throws {
        let value = try parseOne(wire("|1\r\n+key-popularity\r\n%2\r\n$1\r\na\r\n,0.1923\r\n$1\r\nb\r\n,0.0012\r\n*2\r\n:2039123\r\n:9543892\r\n"))
        let attributes = [RESPPair(
            .simpleString(wire("key-popularity")),
            .map([RESPPair(.bulk("a"), .double(0.1923)), RESPPair(.bulk("b"), .double(0.0012))])
        )]
        XCTAssertEqual(value, .attribute(attributes, .array([.integer(2039123), .integer(9543892)])))
        XCTAssertEqual(value?.unwrapped, .array([.integer(2039123), .integer(9543892)]))
    }

    func testAttributeInsideAggregate() throws {
        XCTAssertEqual(
            try parseOne(wire("*2\r\n|1\r\n+ttl\r\n:3600\r\n$3\r\nfoo\r\n:7\r\n")),
            .array([.attribute([RESPPair(.simpleString(wire("ttl")), .integer(3600))], .bulk("foo")), .integer(7)])
        )
    }

    func testPush() throws {
        XCTAssertEqual(
            try parseOne(wire(">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n")),
            .push([.bulk("message"), .bulk("news"), .bulk("hello")])
        )
    }

    func testSeveralValuesInOneChunk() throws {
        XCTAssertEqual(
            try parseAll(wire("+OK\r\n:1\r\n$-1\r\n_\r\n")),
            [.simpleString(wire("OK")), .integer(1), .bulkString(nil), .null]
        )
    }
}
