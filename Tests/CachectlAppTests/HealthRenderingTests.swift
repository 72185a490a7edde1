import XCTest
import CacheOps
import CLI
import RedisClient
@testable import CachectlApp

/// Health's renderers from fixed reports: what a breach says on stderr and in JSON does
/// not need a server to check.
final class HealthRenderingTests: XCTestCase {
    private let node = Endpoint.tcp(host: "10.0.0.5", port: 6379)

    private func report(breaches: [HealthFinding] = [], warnings: [HealthFinding] = []) -> HealthReport {
        var r = HealthReport(endpoint: node, latency: LatencySummary(millis: [0.25, 0.5]),
                             roundTrips: [RoundTrip(name: "handshake", milliseconds: 0.75)])
        r.breaches = breaches
        r.warnings = warnings
        r.version = "7.0.15"
        return r
    }

    /// Every per-node fact names its node: a finding that names none is the report's own.
    func testFindingsNameTheReportsNodeWhenTheyNameNone() throws {
        let elsewhere = Endpoint.tcp(host: "10.0.0.6", port: 6380)
        let r = report(breaches: [HealthFinding(metric: .replication, reason: "the link is down"),
                                  HealthFinding(metric: .latency, limit: 1, actual: 2, node: elsewhere)])
        let json = HealthJSON.document(r).serialized()
        XCTAssertTrue(json.contains(#""node":"10.0.0.5:6379","mode""#), json)
        let breaches = try XCTUnwrap(JSONValue.parse(Array(json.utf8))?.member("breaches"))
        guard case .array(let items) = breaches else { return XCTFail(json) }
        XCTAssertEqual(items.compactMap { $0.member("node") }, [.string("10.0.0.5:6379"), .string("10.0.0.6:6380")])
    }

    /// stderr's lines for a report: warnings first, then breaches, in the one format.
    func testStderrLinesOfAReport() {
        let r = report(breaches: [HealthFinding(metric: .latency, limit: 1, actual: 2.5)],
                       warnings: [HealthFinding(metric: .maxmemory, reason: "maxmemory is 0")])
        let lines = StderrLines(.report(r)).lines
        XCTAssertEqual(lines.count, 2)
        guard case .warning = lines[0], case .breach(let breach) = lines[1] else { return XCTFail("\(lines)") }
        XCTAssertEqual(breach, HealthRenderer.message(r.breaches[0]))
        XCTAssertTrue(StderrLines(.report(report())).lines.isEmpty, "a healthy report says nothing")
    }

    /// A failed run's document has the fields of every --json failure, with the exit code
    /// the process returns.
    func testAFailureDocumentHasErrorAndExitCode() throws {
        let failure = HealthFailure(.connectionRefused(endpoint: "10.0.0.5:6379"), endpoint: "10.0.0.5:6379", maxLatencyMs: nil)
        let json = HealthJSON.failure(failure).serialized()
        XCTAssertEqual(json, #"{"healthy":false,"status":"unreachable","latency":null,"memory":null,"version":null,"#
                       + #""node":"10.0.0.5:6379","breaches":[],"warnings":[],"unchecked":[],"#
                       + #""error":"connection refused by 10.0.0.5:6379: is redis-server running there?","exitCode":69}"#)
        guard case .error(let shown) = try XCTUnwrap(StderrLines(.failure(failure)).lines.first) else { return XCTFail() }
        XCTAssertEqual(shown.rendered, "cachectl: error: connection refused by 10.0.0.5:6379: is redis-server running there?\n")
    }
}

private extension JSONValue {
    func member(_ name: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.0 == name }?.1
    }
}

/// A time a server reports can be anything: outside what ISO 8601 can say it is null, not
/// an overflow (a slow log entry with a huge timestamp crashed `health --json`).
final class TimestampTests: XCTestCase {
    func testTimesOutsideYears1970To9999AreNull() {
        for seconds in [9_300_000_000_000_000, -1, 253_402_300_800] {
            let members = Timestamp(seconds: seconds, milliseconds: 0).jsonMembers
            XCTAssertEqual(members.map(\.1), [.null, .null], "\(seconds)")
        }
        let members = Timestamp(seconds: 1_764_487_201, milliseconds: 123).jsonMembers
        XCTAssertEqual(members.map(\.1), [.string("2025-11-30T07:20:01.123Z"), .int(1_764_487_201_123)])
    }
}

final class ServerIdentityTests: XCTestCase {
    func testAForkIsNamedWithItsOwnVersion() {
        var r = HealthReport(endpoint: .tcp(host: "h", port: 1), latency: LatencySummary(millis: [1]))
        XCTAssertEqual(HealthRenderer.versionText(r), "n/a")
        r.version = "7.0.15"
        r.server = "redis"
        XCTAssertEqual(HealthRenderer.versionText(r), "7.0.15")
        r.server = "valkey"
        r.version = "9.1.2"
        r.compatibleRedisVersion = "7.2.4"
        XCTAssertEqual(HealthRenderer.versionText(r), "valkey 9.1.2 (redis 7.2.4 compatible)")
    }
}
