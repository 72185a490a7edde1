import CLI
import Foundation
import XCTest

final class JSONValueTests: XCTestCase {
    func testScalars() {
        XCTAssertEqual(JSONValue.null.serialized(), "null")
        XCTAssertEqual(JSONValue.bool(true).serialized(), "true")
        XCTAssertEqual(JSONValue.int(-42).serialized(), "-42")
        XCTAssertEqual(JSONValue.int(.max).serialized(), "9223372036854775807")
    }

    func testDoubles() {
        XCTAssertEqual(JSONValue.double(0.25).serialized(), "0.25")
        XCTAssertEqual(JSONValue.double(96.15).serialized(), "96.15")
        XCTAssertEqual(JSONValue.double(3.0).serialized(), "3.0")
        XCTAssertEqual(JSONValue.double(0.1 + 0.2).serialized(), "0.30000000000000004")
        XCTAssertEqual(JSONValue.double(.nan).serialized(), "null")
        XCTAssertEqual(JSONValue.double(.infinity).serialized(), "null")
        XCTAssertEqual(JSONValue.double(-.infinity).serialized(), "null")
    }

    func testStringEscaping() {
        XCTAssertEqual(JSONValue.string("a\"b\\c").serialized(), #""a\"b\\c""#)
        XCTAssertEqual(JSONValue.string("l1\nl2\r\t").serialized(), #""l1\nl2\r\t""#)
        XCTAssertEqual(JSONValue.string("\u{08}\u{0C}").serialized(), #""\b\f""#)
        XCTAssertEqual(JSONValue.string("\u{00}\u{01}\u{1F}").serialized(), #""\u0000\u0001\u001f""#)
        XCTAssertEqual(JSONValue.string("é 🚀 /").serialized(), "\"é 🚀 /\"")
    }

    func testOrderedObjectAndArrays() {
        let value: JSONValue = ["allowed": true, "remaining": 4, "resetIn": 1.5, "tags": ["a", "b"], "none": nil]
        XCTAssertEqual(value.serialized(),
                       #"{"allowed":true,"remaining":4,"resetIn":1.5,"tags":["a","b"],"none":null}"#)
        XCTAssertEqual(value["remaining"], .int(4))
        XCTAssertNil(value["missing"])
        XCTAssertEqual(JSONValue.array([]).serialized(), "[]")
        XCTAssertEqual(JSONValue.object([]).serialized(pretty: true), "{}")
    }

    func testPretty() {
        let value: JSONValue = ["healthy": true, "latency": ["p50": 0.25, "samples": []], "list": [1, 2]]
        XCTAssertEqual(value.serialized(pretty: true), """
            {
              "healthy": true,
              "latency": {
                "p50": 0.25,
                "samples": []
              },
              "list": [
                1,
                2
              ]
            }
            """)
    }

    func testEqualityIsOrderSensitiveForObjects() {
        XCTAssertEqual(JSONValue.object([("a", 1), ("b", 2)]), JSONValue.object([("a", 1), ("b", 2)]))
        XCTAssertNotEqual(JSONValue.object([("a", 1), ("b", 2)]), JSONValue.object([("b", 2), ("a", 1)]))
        XCTAssertNotEqual(JSONValue.int(1), JSONValue.double(1))
        XCTAssertEqual(JSONValue.double(.nan), JSONValue.double(.nan))
    }

    /// Foundation's parser (tests only) must read back what we write.
    func testRoundTripThroughFoundation() throws {
        let value: JSONValue = ["s": "q\"\\\n\u{01}é", "d": 96.15, "i": -3, "a": [true, nil, 1e-7]]
        let data = Data(value.serialized().utf8)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(object["s"] as? String, "q\"\\\n\u{01}é")
        XCTAssertEqual(object["d"] as? Double, 96.15)
        XCTAssertEqual(object["i"] as? Int, -3)
        XCTAssertEqual((object["a"] as? [Any])?.count, 3)
    }
}
