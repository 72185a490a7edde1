import CacheOps
import CLI

/// Bench results as a table in redis-benchmark's spirit (one line per test: throughput,
/// then latency percentiles in milliseconds), as CSV, or as JSON for CI.
enum BenchRenderer {
    static func table(_ report: BenchReport, keysDeleted: Int?) -> String {
        var out = header(report.plan) + "\n\n"
        var table = TextTable(columns: [
            .init("test"), .init("requests", alignment: .right), .init("elapsed", alignment: .right),
            .init("req/s", alignment: .right), .init("avg ms", alignment: .right), .init("p50", alignment: .right),
            .init("p90", alignment: .right), .init("p99", alignment: .right), .init("p99.9", alignment: .right),
            .init("max", alignment: .right),
        ])
        for r in report.results {
            let l = r.latency
            table.addRow([r.test.rawValue + (r.interrupted ? " (interrupted)" : ""), grouped(r.requests),
                          formatDuration(.nanoseconds(Int64(clamping: r.elapsedNs))),
                          grouped(Int(saturating: r.requestsPerSecond.rounded())), ms(l.mean),
                          ms(l.value(atPercentile: 50)), ms(l.value(atPercentile: 90)), ms(l.value(atPercentile: 99)),
                          ms(l.value(atPercentile: 99.9)), ms(l.max)])
        }
        out += table.render()
        let notes = report.results.compactMap(outcomeLine)
        if !notes.isEmpty { out += "\n" + notes.joined(separator: "\n") + "\n" }
        if let keysDeleted {
            out += "\ndeleted \(grouped(keysDeleted)) \(quotedKey(report.plan.namespace))* key\(keysDeleted == 1 ? "" : "s")\n"
        }
        return out
    }

    /// redis-benchmark --csv's columns, column for column, and its test names (PING as a
    /// multi-bulk request is its PING_MBULK); cachectl's own tests in capitals likewise.
    static func csv(_ report: BenchReport) -> String {
        var out = "\"test\",\"rps\",\"avg_latency_ms\",\"min_latency_ms\",\"p50_latency_ms\",\"p95_latency_ms\","
            + "\"p99_latency_ms\",\"max_latency_ms\"\n"
        for r in report.results {
            let l = r.latency
            let cells = [title(r.test), formatFixed(r.requestsPerSecond, decimals: 2), ms(l.mean), ms(l.count == 0 ? 0 : l.min),
                         ms(l.value(atPercentile: 50)), ms(l.value(atPercentile: 95)), ms(l.value(atPercentile: 99)),
                         ms(l.max)]
            out += cells.map { "\"\($0)\"" }.joined(separator: ",") + "\n"
        }
        return out
    }

    /// `-q`: one line per test, as redis-benchmark -q prints
    /// (`GET: 12987.01 requests per second, p50=2.311 msec`).
    static func quiet(_ report: BenchReport) -> String {
        report.results.map { r in
            "\(title(r.test)): \(formatFixed(r.requestsPerSecond, decimals: 2)) requests per second, "
                + "p50=\(ms(r.latency.value(atPercentile: 50))) msec\n"
        }.joined()
    }

    /// The name redis-benchmark gives the same test.
    static func title(_ test: BenchTest) -> String {
        test == .ping ? "PING_MBULK" : test.rawValue.uppercased()
    }

    static func json(_ report: BenchReport, keysDeleted: Int?) -> JSONValue {
        let plan = report.plan
        var requestsPerTest: JSONValue = .null, durationMs: JSONValue = .null
        switch plan.length {
        case .requests(let n): requestsPerTest = .int(Int64(n))
        case .duration(let d): durationMs = .double(milliseconds(d))
        }
        return .object([
            ("clients", .int(Int64(plan.clients))),
            ("pipeline", .int(Int64(plan.pipeline))),
            ("threads", .int(Int64(plan.threads))),
            ("dataSizeBytes", .int(Int64(plan.dataSize))),
            ("keyspace", plan.keyspace.map { .int(Int64($0)) } ?? .null),
            ("requestsPerTest", requestsPerTest),
            ("durationMs", durationMs),
            ("warmupMs", .double(milliseconds(plan.warmup))),
            ("tests", .array(report.results.map(testJSON))),
            ("interrupted", .bool(report.interrupted)),
            ("keysDeleted", keysDeleted.map { .int(Int64($0)) } ?? .null),
        ])
    }

    private static func testJSON(_ r: BenchTestResult) -> JSONValue {
        let l = r.latency
        func v(_ ns: UInt64) -> JSONValue { .double(round3(Double(ns) / 1e6)) }
        return .object([
            ("test", .string(r.test.rawValue)),
            ("requests", .int(Int64(r.requests))),
            ("elapsedMs", .double(round3(Double(r.elapsedNs) / 1e6))),
            ("requestsPerSecond", .double((r.requestsPerSecond * 100).rounded() / 100)),
            ("latencyMs", .object([
                ("min", v(l.count == 0 ? 0 : l.min)), ("avg", .double(round3(l.mean / 1e6))),
                ("p50", v(l.value(atPercentile: 50))), ("p90", v(l.value(atPercentile: 90))),
                ("p99", v(l.value(atPercentile: 99))), ("p999", v(l.value(atPercentile: 99.9))),
                ("max", v(l.max)),
            ])),
            ("outcomes", .object(r.outcomes.map { ($0.name, .int(Int64($0.count))) })),
            ("interrupted", .bool(r.interrupted)),
        ])
    }

    /// `50 clients, pipeline 16, 1 thread, 3-byte values, 1 key, 1,000,000 requests per test`.
    static func header(_ plan: BenchPlan) -> String {
        var parts = ["\(plan.clients) client\(plan.clients == 1 ? "" : "s")", "pipeline \(plan.pipeline)",
                     "\(plan.threads) thread\(plan.threads == 1 ? "" : "s")", "\(formatBytes(plan.dataSize)) values",
                     plan.keyspace.map { "\(grouped($0)) key\($0 == 1 ? "" : "s")" } ?? "1 key"]
        switch plan.length {
        case .requests(let n): parts.append("\(grouped(n)) requests per test")
        case .duration(let d): parts.append("\(formatDuration(d)) per test")
        }
        if plan.warmup > .zero { parts.append("\(formatDuration(plan.warmup)) warm-up") }
        return parts.joined(separator: ", ")
    }

    /// `getorset: 9,000 hits, 1,000 misses (90.0% hits)`; nil for tests that count nothing.
    private static func outcomeLine(_ r: BenchTestResult) -> String? {
        guard !r.outcomes.isEmpty else { return nil }
        var line = "\(r.test.rawValue): " + r.outcomes.map { "\(grouped($0.count)) \($0.name)" }.joined(separator: ", ")
        if let hits = r.outcomes.first(where: { $0.name == "hits" })?.count,
           let misses = r.outcomes.first(where: { $0.name == "misses" })?.count, hits + misses > 0 {
            line += " (\(formatFixed(Double(hits) / Double(hits + misses) * 100, decimals: 1))% hits)"
        }
        return line
    }

    private static func ms(_ ns: UInt64) -> String { formatFixed(Double(ns) / 1e6, decimals: 3) }
    private static func ms(_ ns: Double) -> String { formatFixed(ns / 1e6, decimals: 3) }
    private static func round3(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

    private static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    /// `1234567` → `1,234,567`.
    static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }
}

/// The live line on stderr while a test runs: requests done, target, rate. Redrawn at most
/// four times a second, and only when asked for (a TTY, or `--progress`). A class: the
/// bench's progress callback updates it.
final class BenchProgressLine {
    let enabled: Bool
    private var lastDrawn = 0.0
    private var drawn = false

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func show(_ p: BenchProgress) {
        guard enabled, p.elapsedSeconds - lastDrawn >= 0.25 || !drawn else { return }
        lastDrawn = p.elapsedSeconds
        drawn = true
        let rate = p.elapsedSeconds > 0 ? Double(p.completed) / p.elapsedSeconds : 0
        let done = BenchRenderer.grouped(p.completed) + (p.target.map { "/" + BenchRenderer.grouped($0) } ?? "")
        _ = writeStderr("\r\(p.test.rawValue): \(done) requests, \(BenchRenderer.grouped(Int(saturating: rate.rounded()))) req/s\u{1B}[K")
    }

    func clear() {
        guard drawn else { return }
        _ = writeStderr("\r\u{1B}[K")
        drawn = false
    }
}
