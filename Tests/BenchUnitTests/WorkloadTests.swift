import XCTest
import RESP
@testable import CacheOps

/// Requests are template copies with digits patched in: the bytes must be exactly what
/// encoding the final arguments would give. Workloads branch on reply summaries.
final class WorkloadTests: XCTestCase {
    private func encoded(_ t: CommandTemplate, _ a: UInt64, _ b: UInt64) -> [UInt8] {
        let storage = WorkerStorage(connections: 1, pipeline: 1, templates: [t])
        var out = [UInt8](repeating: 0, count: t.bytes.count)
        out.withUnsafeMutableBytes { raw in
            WorkerStorage.write(storage.templates[0], from: storage.templateBytes, into: raw.baseAddress!, a, b)
        }
        var viaTemplate = [UInt8](repeating: 0, count: t.bytes.count)
        viaTemplate.withUnsafeMutableBytes { t.write(into: $0, a, b) }
        XCTAssertEqual(out, viaTemplate)
        return out
    }

    func testPatchedTemplatesEqualFreshEncoding() {
        let t = CommandTemplate([.text("SET"), .numbered(Array("p:bench:lock:".utf8), width: 12), .numbered(Array("owner-".utf8), width: 20),
                                 .text("NX"), .text("PX"), .text("30000")])
        for (key, token) in [(UInt64(0), UInt64(0)), (42, 7), (999_999_999_999, .max), (123_456, 1 << 48 | 5)] {
            let k = String(key), tok = String(token)
            let expected = RESPEncoder.command("SET", "p:bench:lock:" + String(repeating: "0", count: 12 - k.count) + k,
                                               "owner-" + String(repeating: "0", count: 20 - tok.count) + tok, "NX", "PX", "30000")
            XCTAssertEqual(encoded(t, key, token), expected)
        }
        XCTAssertEqual(encoded(CommandTemplate([.text("PING")]), 5, 5), RESPEncoder.command("PING"))
    }

    func testLongValuesKeepTheirOffsets() {
        let value = [UInt8](repeating: UInt8(ascii: "x"), count: 100_000)
        let t = CommandTemplate([.text("SET"), .numbered(Array("bench:key:".utf8), width: 12), .bytes(value)])
        XCTAssertEqual(encoded(t, 31, 0), RESPEncoder.command([Array("SET".utf8), Array("bench:key:000000000031".utf8), value]))
    }

    func testGetOrSetSetsOnAMissOnly() {
        var w = GetOrSetWorkload(plan: BenchPlan(tests: [.getorset], keyspace: 10, cacheTTLSeconds: 60))
        var random = BenchRandom(seed: 1)
        var outcomes = BenchOutcomes()
        let get = w.start(&random)
        XCTAssertEqual(get.command, GetOrSetWorkload.get)
        let follow = w.complete(get, reply: .init(kind: .null), outcomes: &outcomes)
        XCTAssertEqual(follow?.command, GetOrSetWorkload.set)
        XCTAssertEqual(follow?.key, get.key)
        XCTAssertNil(w.complete(get, reply: .init(kind: .bulkString), outcomes: &outcomes))
        XCTAssertEqual([outcomes[0], outcomes[1]], [1, 1])
        XCTAssertTrue(String(decoding: w.templates[1].bytes, as: UTF8.self).hasSuffix("$2\r\nEX\r\n$2\r\n60\r\n"))
    }

    func testLockReleasesWithTheTokenItAcquiredWith() {
        var w = LockWorkload(plan: BenchPlan(tests: [.lock]), thread: 3)
        var random = BenchRandom(seed: 1)
        var outcomes = BenchOutcomes()
        let a = w.start(&random), b = w.start(&random)
        XCTAssertNotEqual(a.token, b.token)
        XCTAssertEqual(a.token >> 48, 3, "tokens carry the thread so threads never collide")
        let release = w.complete(a, reply: .init(kind: .simpleString), outcomes: &outcomes)
        XCTAssertEqual(release?.command, LockWorkload.release)
        XCTAssertEqual(release?.token, a.token)
        XCTAssertNil(w.complete(b, reply: .init(kind: .null), outcomes: &outcomes))
        XCTAssertNil(w.complete(release!, reply: .init(kind: .integer, integer: 1), outcomes: &outcomes))
        XCTAssertNil(w.complete(release!, reply: .init(kind: .integer, integer: 0), outcomes: &outcomes))
        XCTAssertEqual((0..<4).map { outcomes[$0] }, [1, 1, 1, 1])
    }

    func testVerdictsOfEveryScriptConvention() {
        XCTAssertTrue(RESPReplySummary(kind: .simpleString).affirmative)
        XCTAssertTrue(RESPReplySummary(kind: .integer, integer: 1).affirmative)
        XCTAssertTrue(RESPReplySummary(kind: .aggregate, integer: 1).affirmative)
        XCTAssertTrue(RESPReplySummary(kind: .boolean, integer: 1).affirmative)
        XCTAssertFalse(RESPReplySummary(kind: .null).affirmative)
        XCTAssertFalse(RESPReplySummary(kind: .integer, integer: 0).affirmative)
        XCTAssertFalse(RESPReplySummary(kind: .aggregate, integer: 0).affirmative)
        XCTAssertFalse(RESPReplySummary(kind: .boolean, integer: 0).affirmative)
    }

    func testMixedFollowsTheRatio() {
        var w = MixedWorkload(plan: BenchPlan(tests: [.mixed], keyspace: 100, ratio: .init(gets: 9, sets: 1)))
        var random = BenchRandom(seed: 7)
        var sets = 0
        for _ in 0..<100_000 {
            let r = w.start(&random)
            if r.command == MixedWorkload.set { sets += 1 }
            XCTAssertLessThan(r.key, 100)
        }
        XCTAssertEqual(Double(sets) / 100_000, 0.1, accuracy: 0.01)
    }

    func testRandomStaysBelowItsBound() {
        var random = BenchRandom(seed: 0)
        var seen = Set<UInt64>()
        for _ in 0..<10_000 {
            let v = random.below(7)
            XCTAssertLessThan(v, 7)
            seen.insert(v)
        }
        XCTAssertEqual(seen.count, 7)
    }
}
