import XCTest
import RESP
@testable import CacheOps

/// The issue's bad inputs are refused before anything connects, with a reason.
final class BenchPlanTests: XCTestCase {
    private func problem(_ change: (inout BenchPlan) -> Void) -> String? {
        var plan = BenchPlan(tests: [.get])
        change(&plan)
        do {
            try plan.validate()
            return nil
        } catch {
            return error.description
        }
    }

    func testDefaultsAreValid() {
        XCTAssertNil(problem { _ in })
        XCTAssertNil(problem { $0.length = .duration(.seconds(1)) })
    }

    func testZeroCountsAreRefused() {
        XCTAssertEqual(problem { $0.clients = 0 }, "-c must be at least 1, not 0")
        XCTAssertEqual(problem { $0.length = .requests(0) }, "--requests must be at least 1, not 0")
        XCTAssertEqual(problem { $0.pipeline = 0 }, "-P must be at least 1, not 0")
        XCTAssertEqual(problem { $0.threads = 0 }, "--threads must be at least 1, not 0")
        XCTAssertEqual(problem { $0.keyspace = 0 }, "-r must be at least 1, not 0")
        XCTAssertEqual(problem { $0.dataSize = 0 }, "-d must be at least 1 byte, not 0")
        XCTAssertNotNil(problem { $0.length = .duration(.zero) })
        XCTAssertNotNil(problem { $0.tests = [] })
    }

    func testPipelineLargerThanTheRunIsRefused() {
        XCTAssertEqual(problem { $0.length = .requests(10); $0.pipeline = 11 }, "-P 11 is larger than the 10 requests of --requests")
        XCTAssertNil(problem { $0.length = .requests(10); $0.pipeline = 10 })
    }

    func testMoreThreadsThanConnectionsIsRefused() {
        XCTAssertNotNil(problem { $0.clients = 2; $0.threads = 3 })
        XCTAssertNil(problem { $0.clients = 3; $0.threads = 3 })
    }

    func testTestListParsing() throws {
        XCTAssertEqual(try BenchTest.parseList("GET,set"), [.set, .get], "redis-benchmark's order, case-insensitive")
        XCTAssertEqual(try BenchTest.parseList("lock,ping,lock"), [.ping, .lock])
        XCTAssertThrowsError(try BenchTest.parseList("get,lpush")) { error in
            XCTAssertEqual(error as? BenchPlanError, .unknownTest("lpush", known: BenchTest.allCases.map(\.rawValue)))
        }
        XCTAssertThrowsError(try BenchTest.parseList("get,"))
    }

    func testRatioParsing() throws {
        XCTAssertEqual(try BenchPlan.Ratio.parse("9:1"), .init(gets: 9, sets: 1))
        XCTAssertEqual(try BenchPlan.Ratio.parse("0:1"), .init(gets: 0, sets: 1))
        for bad in ["9", "9:1:1", "0:0", "-1:2", "a:b", ""] {
            XCTAssertThrowsError(try BenchPlan.Ratio.parse(bad), bad)
        }
    }

    func testConnectionsAndRequestsAreSharedEvenly() {
        var plan = BenchPlan(tests: [.get], clients: 50, threads: 3)
        XCTAssertEqual(Bench.connectionsPerThread(plan), [17, 17, 16])
        plan.threads = 1
        XCTAssertEqual(Bench.connectionsPerThread(plan), [50])
        XCTAssertEqual(Bench.requestShares(1_000_000, connections: [17, 17, 16]).reduce(0, +), 1_000_000)
        XCTAssertEqual(Bench.requestShares(10, connections: [17, 17, 16]), [4, 3, 3])
        XCTAssertEqual(Bench.requestShares(1, connections: [1, 1]), [1, 0])
    }

    func testNamespaceCarriesThePrefixAndIsEscapedForMatch() {
        let plan = BenchPlan(tests: [.get], keyPrefix: Array("app*[1]:".utf8))
        XCTAssertEqual(plan.namespace, Array("app*[1]:bench:".utf8))
        XCTAssertEqual(String(decoding: GlobPattern.escape(plan.namespace), as: UTF8.self), #"app\*\[1\]:bench:"#)
    }
}
