import XCTest
import RESP
@testable import RedisClient

/// The slot rules operations rely on without reading reply text themselves.
final class SlotRoutingTests: XCTestCase {
    func testPartitionGroupsBySlotInFirstSeenOrder() {
        let keys = ["{a}1", "b", "{a}2", "c", "b"].map { Array($0.utf8) }
        let parts = SlotRouting.partition(keys)
        XCTAssertEqual(parts.map(\.slot), [KeySlot.slot(for: Array("a".utf8)), KeySlot.slot(for: Array("b".utf8)),
                                           KeySlot.slot(for: Array("c".utf8))])
        XCTAssertEqual(parts.map { $0.keys.map { String(decoding: $0, as: UTF8.self) } }, [["{a}1", "{a}2"], ["b", "b"], ["c"]])
        XCTAssertTrue(SlotRouting.partition([[UInt8]]()).isEmpty)
    }

    func testOnlyRoutingRepliesAreRedirections() {
        for text in ["MOVED 3999 127.0.0.1:6381", "ASK 3999 127.0.0.1:6381", "TRYAGAIN Multiple keys request during rehashing of slot"] {
            XCTAssertTrue(SlotRouting.isRedirection(.error(Array(text.utf8))), text)
        }
        for reply: RESPValue in [.error(Array("ERR unknown command".utf8)), .error(Array("MOVEDX".utf8)), .integer(1),
                                 .simpleString(Array("MOVED 1 h:1".utf8)), .error(Array("CLUSTERDOWN The cluster is down".utf8))] {
            XCTAssertFalse(SlotRouting.isRedirection(reply), "\(reply)")
        }
    }
}
