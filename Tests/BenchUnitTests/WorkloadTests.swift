import XCTest
import RESP
@testable import CacheOps

/// Requests are template copies with digits patched in: the bytes must be exactly what
/// encoding the final arguments would give. Workloads branch on reply summaries.
final class WorkloadTests: XCTestCase {
    private func encoded(_ t: CommandTemplate, key: UInt64, token: UInt64) -> [UInt8] {
        let storage = WorkerStorage(connections: 1, pipeline: 1, templates: [t])
        var out = [UInt8](repeating: 0, count: t.bytes.count)
        out.withUnsafeMutableBytes { raw in
            WorkerStorage.write(storage.templates[0], bytes: storage.templateBytes, fields: storage.fields,
                                into: raw.baseAddress!, key: key, token: token)
        }
        var viaTemplate = [UInt8](repeating: 0, count: t.bytes.count)
        viaTemplate.withUnsafeMutableBytes { t.write(into: $0, key: key, token: token) }
        XCTAssertEqual(out, viaTemplate)
        return out
    }

    private func padded(_ n: UInt64, _ width: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: width - s.count) + s
    }

    func testPatchedTemplatesEqualFreshEncoding() {
        let t = CommandTemplate([.text("EVALSHA"), .text("abc"), .text("2"), .key(Array("p:bench:lock:{".utf8), Array("}".utf8)),
                                 .key(Array("p:bench:lock:{".utf8), Array("}:fence".utf8)), .token(Array("host:1:x:".utf8)),
                                 .text("30000")])
        for (key, token) in [(UInt64(0), UInt64(0)), (42, 7), (999_999_999_999, .max), (123_456, 1 << 48 | 5)] {
            let k = padded(key, 12)
            let expected = RESPEncoder.command("EVALSHA", "abc", "2", "p:bench:lock:{\(k)}", "p:bench:lock:{\(k)}:fence",
                                               "host:1:x:" + padded(token, 20), "30000")
            XCTAssertEqual(encoded(t, key: key, token: token), expected)
        }
        XCTAssertEqual(encoded(CommandTemplate([.text("PING")]), key: 5, token: 5), RESPEncoder.command("PING"))
    }

    func testLongValuesKeepTheirOffsets() {
        let value = [UInt8](repeating: UInt8(ascii: "x"), count: 100_000)
        let t = CommandTemplate([.text("SET"), .key(Array("bench:key:".utf8)), .bytes(value)])
        XCTAssertEqual(encoded(t, key: 31, token: 0),
                       RESPEncoder.command([Array("SET".utf8), Array("bench:key:000000000031".utf8), value]))
    }

    func testLockAndRateLimitCommandsAreTheLockAndRateLimitScripts() {
        let plan = BenchPlan(tests: [.lock, .ratelimit], keyPrefix: Array("{app}:".utf8))
        let lock = LockWorkload(plan: plan, thread: 0)
        let keys = LockKeys(name: Array("{000000000042}".utf8), prefix: plan.namespace)
        let acquire = String(decoding: encoded(lock.templates[LockWorkload.acquire], key: 42, token: 9), as: UTF8.self)
        XCTAssertTrue(acquire.contains(LockScripts.acquire.sha1))
        XCTAssertTrue(acquire.contains("\r\n" + String(decoding: keys.key, as: UTF8.self) + "\r\n"), acquire)
        XCTAssertTrue(acquire.contains("\r\n" + String(decoding: keys.fenceKey, as: UTF8.self) + "\r\n"), acquire)
        XCTAssertTrue(keys.fenceKey.starts(with: plan.namespace), "the fence counter is a bench key too")
        // The acquire script's three arguments: owner, TTL and the (empty) earlier counter key.
        XCTAssertTrue(acquire.hasPrefix("*8\r\n"), acquire)
        XCTAssertTrue(acquire.hasSuffix(padded(9, 20) + "\r\n$5\r\n30000\r\n$0\r\n\r\n"), acquire)
        let release = String(decoding: encoded(lock.templates[LockWorkload.release], key: 42, token: 9), as: UTF8.self)
        XCTAssertTrue(release.contains(LockScripts.release.sha1))
        XCTAssertTrue(release.hasSuffix(padded(9, 20) + "\r\n"), release)

        let check = String(decoding: encoded(RateLimitWorkload(plan: plan).templates[0], key: 7, token: 0), as: UTF8.self)
        XCTAssertTrue(check.contains(RateLimitScripts.fixed.sha1))
        let key = plan.namespace + SeedRateLimits.key(ip: Array(padded(7, 12).utf8), endpoint: Array("/bench".utf8))
        XCTAssertTrue(check.contains(String(decoding: key, as: UTF8.self)), check)
        XCTAssertTrue(check.hasSuffix("$3\r\n100\r\n$5\r\n60000\r\n$1\r\n1\r\n$1\r\n1\r\n"), check)
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
        let release = w.complete(a, reply: .init(kind: .aggregate, integer: 1), outcomes: &outcomes)
        XCTAssertEqual(release?.command, LockWorkload.release)
        XCTAssertEqual(release?.token, a.token)
        XCTAssertNil(w.complete(b, reply: .init(kind: .aggregate, integer: 0), outcomes: &outcomes))
        XCTAssertNil(w.complete(release!, reply: .init(kind: .aggregate, integer: 1), outcomes: &outcomes))
        XCTAssertNil(w.complete(release!, reply: .init(kind: .aggregate, integer: 0), outcomes: &outcomes))
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
