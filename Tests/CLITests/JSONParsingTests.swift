import XCTest
@testable import CLI

/// `JSONValue.parse`: what `keys show` embeds and pretty-prints must be exactly JSON.
final class JSONParsingTests: XCTestCase {
    private func parse(_ text: String) -> JSONValue? { JSONValue.parse(Array(text.utf8)) }

    func testValuesRoundTrip() {
        XCTAssertEqual(parse(#" {"a":[1,-2.5,true,false,null],"b":{"c":"\u00e9\n\ud83d\ude00"}} "#),
                       .object([("a", .array([.int(1), .double(-2.5), .bool(true), .bool(false), .null])),
                                ("b", .object([("c", .string("é\n😀"))]))]))
        XCTAssertEqual(parse("[]"), .array([]))
        XCTAssertEqual(parse("{}"), .object([]))
        XCTAssertEqual(parse("12e3"), .double(12000))
        XCTAssertEqual(parse(#""x""#), .string("x"))
    }

    func testNonJSONIsRefused() {
        for text in ["", "{", "[1,]", "{\"a\" 1}", "tru", "01x", "\"a\nb\"", "[1] 2", "+1", ".5", "{'a':1}", "\"\\ud800\""] {
            XCTAssertNil(parse(text), text)
        }
        XCTAssertNil(JSONValue.parse([0x22, 0xFF, 0x22]), "not UTF-8")
        XCTAssertNil(parse(String(repeating: "[", count: 500) + String(repeating: "]", count: 500)), "too deep")
    }
}
