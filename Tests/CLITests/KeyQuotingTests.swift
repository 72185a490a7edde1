import CLI
import XCTest

final class KeyQuotingTests: XCTestCase {
    func q(_ s: String) -> String { quotedKey(Array(s.utf8)) }

    func testPlainKeysUnchanged() {
        XCTAssertEqual(q("user:42"), "user:42")
        XCTAssertEqual(q("with space"), "with space")
        XCTAssertEqual(q("it's"), "it's")
        XCTAssertEqual(q("café"), "café")
        XCTAssertEqual(q("rocket🚀"), "rocket🚀")
    }

    func testEscapes() {
        XCTAssertEqual(q("a\nb"), #""a\nb""#)
        XCTAssertEqual(q("say \"hi\""), #""say \"hi\"""#)
        XCTAssertEqual(q(#"back\slash"#), #""back\\slash""#)
        XCTAssertEqual(q("\r\t\u{07}\u{08}"), #""\r\t\a\b""#)
        XCTAssertEqual(q("\u{00}\u{1B}[31m\u{7F}"), #""\x00\x1b[31m\x7f""#)
    }

    func testInvalidUTF8Bytes() {
        XCTAssertEqual(quotedKey([0x6B, 0xFF]), #""k\xff""#)
        XCTAssertEqual(quotedKey([0xC3, 0x28]), #""\xc3(""#, "a lead byte without its continuation")
        XCTAssertEqual(quotedKey([0xE2, 0x82]), #""\xe2\x82""#, "truncated sequence")
        XCTAssertEqual(quotedKey([0xC0, 0xAF]), #""\xc0\xaf""#, "overlong form")
        XCTAssertEqual(quotedKey([0xED, 0xA0, 0x80]), #""\xed\xa0\x80""#, "encoded surrogate")
    }

    func testValidNonASCIIKeptInsideQuotes() {
        XCTAssertEqual(quotedKey(Array("🚀\n".utf8)), "\"🚀\\n\"")
        XCTAssertEqual(quotedKey(Array("é".utf8) + [0xFF]), "\"é\\xff\"")
    }

    func testInvisibleAndBidiCharactersAreEscaped() {
        XCTAssertEqual(q("a\u{202E}b"), #""a\xe2\x80\xaeb""#)
        XCTAssertEqual(q("\u{85}"), #""\xc2\x85""#, "C1 control NEL")
        XCTAssertEqual(q("a\u{200B}"), #""a\xe2\x80\x8b""#, "zero-width space")
    }

    func testEmptyKeyIsQuoted() {
        XCTAssertEqual(quotedKey([]), #""""#)
    }
}
