import XCTest
@testable import CLI

final class KeyListTests: XCTestCase {
    private func parse(_ text: String, _ format: KeyList.Format = .lines) throws -> [[UInt8]] {
        Array(try KeyList(Array(text.utf8), format: format))
    }

    func testLinesAreRawUnlessQuoted() throws {
        XCTAssertEqual(try parse("a b\nc\\d\n\"q\\n\\x41\\\"\"\n"),
                       [Array("a b".utf8), Array("c\\d".utf8), Array("q\nA\"".utf8)])
        XCTAssertEqual(try parse("last-without-newline"), [Array("last-without-newline".utf8)])
        XCTAssertEqual(try parse("\"\"\n"), [[]], "the empty key is written \"\"")
        XCTAssertEqual(try KeyList(Array("k\n".utf8) + [0xFF, 0x0A], format: .lines).count, 2, "raw non-UTF-8 is kept")
    }

    func testEveryQuotedKeyRoundTrips() throws {
        let keys: [[UInt8]] = [Array("plain".utf8), Array("new\nline".utf8), Array("q\"b\\s".utf8), [0x00, 0xFF, 0x07, 0x08, 0x0D, 0x09],
                               Array("emoji🔑 é".utf8), [], Array("\u{202E}rtl".utf8)]
        let text = keys.map { quotedKey($0) + "\n" }.joined()
        XCTAssertEqual(Array(try KeyList(Array(text.utf8), format: .lines)), keys)
    }

    func testMalformedListsNameTheRecord() {
        let cases: [(String, KeyList.Format, Int, String)] = [
            ("a\n\nb\n", .lines, 2, "empty line"),
            ("a\nb\r\n", .lines, 2, "carriage return"),
            ("\"open\n", .lines, 1, "no closing quote"),
            ("\"a\"b\n", .lines, 1, "after the closing quote"),
            ("\"\\q\"\n", .lines, 1, "unknown escape"),
            ("\"\\x4\"\n", .lines, 1, "two hex digits"),
            ("a\u{0}\u{0}b", .nulSeparated, 2, "empty record"),
        ]
        for (text, format, record, reason) in cases {
            XCTAssertThrowsError(try KeyList(Array(text.utf8), format: format), text) { error in
                guard let e = error as? KeyList.Malformed else { return XCTFail("\(error)") }
                XCTAssertEqual(e.record, record, text)
                XCTAssertTrue(e.reason.contains(reason), "\(text): \(e.reason)")
            }
        }
    }

    func testNulSeparatedTakesEveryByte() throws {
        let data: [UInt8] = Array("a\nb".utf8) + [0] + Array("\"x".utf8) + [0]
        XCTAssertEqual(Array(try KeyList(data, format: .nulSeparated)), [Array("a\nb".utf8), Array("\"x".utf8)])
    }

    func testBase64() {
        XCTAssertEqual(base64Encoded([]), "")
        XCTAssertEqual(base64Encoded(Array("f".utf8)), "Zg==")
        XCTAssertEqual(base64Encoded(Array("fo".utf8)), "Zm8=")
        XCTAssertEqual(base64Encoded(Array("foo".utf8)), "Zm9v")
        XCTAssertEqual(base64Encoded(Array("foobar".utf8)), "Zm9vYmFy")
        XCTAssertEqual(base64Encoded([0xFF, 0xFE, 0x00]), "//4A")
    }

    func testJSONKeyFieldsAreLossless() {
        XCTAssertEqual(JSONValue.object(jsonKeyFields(Array("a\n\"b".utf8))).serialized(), #"{"key":"a\n\"b"}"#)
        XCTAssertEqual(JSONValue.object(jsonKeyFields([0x6D, 0xFF])).serialized(), #"{"key":"\"m\\xff\"","keyBase64":"bf8="}"#)
        XCTAssertEqual(jsonKeyString([0xFF]), .string("\"\\xff\""))
    }
}
