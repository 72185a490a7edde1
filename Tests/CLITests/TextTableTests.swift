import CLI
import XCTest

final class TextTableTests: XCTestCase {
    func testAlignmentAndHeader() {
        var table = TextTable(columns: [TextTable.Column("KEY"), TextTable.Column("TTL", alignment: .right),
                                        TextTable.Column("TYPE")])
        table.addRow(["user:1", "30s", "hash"])
        table.addRow(["session:abcdef", "5m", "string"])
        table.addRow(["é", "1h30m", ""])
        XCTAssertEqual(table.render(), """
            KEY               TTL  TYPE
            user:1            30s  hash
            session:abcdef     5m  string
            é               1h30m

            """)
    }

    func testWithoutHeaderAndShortRows() {
        var table = TextTable(alignments: [.left, .right])
        table.addRow(["version", "7.2.4"])
        table.addRow(["uptime"])
        table.addRow(["clients", "12", "ignored"])
        XCTAssertEqual(table.render(), "version  7.2.4\nuptime\nclients     12\n")
    }

    func testEmpty() {
        XCTAssertEqual(TextTable(alignments: [.left]).render(), "")
        XCTAssertEqual(TextTable(columns: [TextTable.Column("A"), TextTable.Column("B")]).render(), "A  B\n")
    }

    func testColouredCellsAlign() {
        let style = Style(enabled: true)
        var table = TextTable(alignments: [.left, .left], separator: " | ")
        table.addRow([style.green("ok"), "x"])
        table.addRow(["fail", "y"])
        XCTAssertEqual(table.render(), "\u{1B}[32mok\u{1B}[0m   | x\nfail | y\n")
        XCTAssertEqual(displayWidth(style.red("abc")), 3)
    }
}
