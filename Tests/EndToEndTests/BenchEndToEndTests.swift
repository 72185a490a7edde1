import XCTest
import Foundation
import TestSupport

/// `cachectl bench` as users and CI run it: exit codes, output shapes, and the keyspace
/// left as it was found.
final class BenchEndToEndTests: XCTestCase {
    private func server() throws -> RedisServer { try RedisServer.shared.get() }

    func testBadInputExits64WithTheReasonBeforeConnecting() throws {
        // Nothing listens on this port: a usage error must come first.
        let port = "\(try freePort())"
        let cases: [([String], String)] = [
            (["-c", "0"], "invalid value '0' for '-c': must be at least 1"),
            (["--requests", "0"], "invalid value '0' for '--requests': must be at least 1"),
            (["-P", "10", "--requests", "5"], "-P 10 is larger than the 5 requests of --requests"),
            (["-t", "get,lpush"], "unknown test 'lpush'"),
            (["--threads", "0"], "invalid value '0' for '--threads': must be at least 1"),
            (["-r", "0"], "invalid value '0' for '-r': must be at least 1"),
            (["-c", "-3"], "invalid number '-3' for '-c'"),
            (["--ratio", "9"], "invalid ratio '9'"),
            (["--requests", "10", "--duration", "1s"], "exclude each other"),
            (["--requests", "1000", "--requests", "3"], "'--requests' given more than once"),
        ]
        for (args, reason) in cases {
            let r = try Cachectl.run(["-p", port, "bench"] + args)
            XCTAssertEqual(r.exitCode, 64, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stdout, "", "\(args)")
            XCTAssertTrue(r.stderr.hasPrefix("cachectl: error: "), r.stderr)
            XCTAssertTrue(r.stderr.contains(reason), "\(args): \(r.stderr)")
        }
    }

    func testRefusedConnectionExits69AtOnce() throws {
        let r = try Cachectl.run(["-p", "\(try freePort())", "bench", "-t", "get", "--requests", "1000000"])
        XCTAssertEqual(r.exitCode, 69)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("cachectl: error: connection refused"), r.stderr)
        XCTAssertLessThan(r.elapsed, 3)
    }

    func testJSONShapeAndKeysCleanedUp() throws {
        let s = try server()
        try s.cli(["-n", "2", "FLUSHDB"])
        let r = try Cachectl.run(["-p", "\(s.port)", "--db", "2", "bench", "-t", "set,get,getorset", "--requests", "2000", "-c", "5",
                                  "-P", "4", "-r", "100", "--json"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(r.stderr, "", "no progress line without a terminal")
        let o = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdoutBytes) as? [String: Any])
        XCTAssertEqual(o["clients"] as? Int, 5)
        XCTAssertEqual(o["pipeline"] as? Int, 4)
        XCTAssertEqual(o["threads"] as? Int, 1)
        XCTAssertEqual(o["dataSizeBytes"] as? Int, 3)
        XCTAssertEqual(o["keyspace"] as? Int, 100)
        XCTAssertEqual(o["requestsPerTest"] as? Int, 2000)
        XCTAssertEqual(o["interrupted"] as? Bool, false)
        XCTAssertGreaterThan(o["keysDeleted"] as? Int ?? 0, 100, "the set keys plus the cached ones")
        let tests = try XCTUnwrap(o["tests"] as? [[String: Any]])
        XCTAssertEqual(tests.map { $0["test"] as? String }, ["set", "get", "getorset"])
        for t in tests {
            XCTAssertEqual(t["requests"] as? Int, 2000)
            XCTAssertGreaterThan(t["requestsPerSecond"] as? Double ?? 0, 0)
            XCTAssertGreaterThan(t["elapsedMs"] as? Double ?? 0, 0)
            let l = try XCTUnwrap(t["latencyMs"] as? [String: Double])
            XCTAssertEqual(Set(l.keys), ["min", "avg", "p50", "p90", "p99", "p999", "max"])
            XCTAssertLessThanOrEqual(l["min"]!, l["p50"]!)
            XCTAssertLessThanOrEqual(l["p50"]!, l["p90"]!)
            XCTAssertLessThanOrEqual(l["p90"]!, l["p99"]!)
            XCTAssertLessThanOrEqual(l["p99"]!, l["p999"]!)
            XCTAssertLessThanOrEqual(l["p999"]!, l["max"]!)
            XCTAssertNotNil(t["outcomes"] as? [String: Int])
        }
        XCTAssertNotNil((tests[2]["outcomes"] as? [String: Int])?["misses"])
        XCTAssertEqual(try s.cli(["-n", "2", "DBSIZE"]), "0", "every bench key is deleted")
    }

    func testKeepLeavesTheKeysAndALaterRunStillAcceptsThem() throws {
        let s = try server()
        try s.cli(["-n", "3", "FLUSHDB"])
        let kept = try Cachectl.run(["-p", "\(s.port)", "--db", "3", "bench", "-t", "set", "--requests", "500", "-c", "2", "-r", "10", "--keep", "-q"])
        XCTAssertEqual(kept.exitCode, 0, kept.stderr)
        XCTAssertTrue(kept.stdout.hasPrefix("SET: "), "-q prints redis-benchmark -q's line: \(kept.stdout)")
        XCTAssertEqual(try s.cli(["-n", "3", "DBSIZE"]), "10")
        let again = try Cachectl.run(["-p", "\(s.port)", "--db", "3", "bench", "-t", "ping", "--requests", "100", "-c", "2"])
        XCTAssertEqual(again.exitCode, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("deleted 10 bench:* keys"), again.stdout)
        XCTAssertEqual(try s.cli(["-n", "3", "DBSIZE"]), "0")
    }

    func testRefusesADatabaseWithOtherKeysUnlessYes() throws {
        let s = try server()
        try s.cli(["-n", "4", "FLUSHDB"])
        try s.cli(["-n", "4", "SET", "session:abc", "precious"])
        let refused = try Cachectl.run(["-p", "\(s.port)", "--db", "4", "bench", "-t", "set", "--requests", "100"])
        XCTAssertEqual(refused.exitCode, 64)
        XCTAssertEqual(refused.stdout, "")
        XCTAssertTrue(refused.stderr.contains("database 4 holds 1 key"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("session:abc"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--yes"), refused.stderr)
        XCTAssertEqual(try s.cli(["-n", "4", "DBSIZE"]), "1", "nothing was written")

        let allowed = try Cachectl.run(["-p", "\(s.port)", "--db", "4", "bench", "-t", "set", "--requests", "100", "-c", "2", "--yes"])
        XCTAssertEqual(allowed.exitCode, 0, allowed.stderr)
        XCTAssertEqual(try s.cli(["-n", "4", "GET", "session:abc"]), "precious")
        XCTAssertEqual(try s.cli(["-n", "4", "DBSIZE"]), "1", "only bench keys were deleted")
        try s.cli(["-n", "4", "FLUSHDB"])
    }

    func testTableAndCSV() throws {
        let s = try server()
        try s.cli(["-n", "2", "FLUSHDB"])
        let table = try Cachectl.run(["-p", "\(s.port)", "--db", "2", "bench", "-t", "ping,lock,ratelimit", "--requests", "300", "-c", "3"])
        XCTAssertEqual(table.exitCode, 0, table.stderr)
        for text in ["req/s", "p99.9", "ping", "lock", "ratelimit", "3 clients, pipeline 1", "acquired", "allowed"] {
            XCTAssertTrue(table.stdout.contains(text), "\(text) in \(table.stdout)")
        }
        let csv = try Cachectl.run(["-p", "\(s.port)", "--db", "2", "bench", "-t", "get,set", "--requests", "300", "-c", "3", "--csv"])
        XCTAssertEqual(csv.exitCode, 0, csv.stderr)
        let lines = csv.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 3, csv.stdout)
        // Column for column what redis-benchmark -t get,set --csv prints (redis 7).
        XCTAssertEqual(lines[0], "\"test\",\"rps\",\"avg_latency_ms\",\"min_latency_ms\",\"p50_latency_ms\","
                       + "\"p95_latency_ms\",\"p99_latency_ms\",\"max_latency_ms\"", csv.stdout)
        XCTAssertTrue(lines[1].hasPrefix("\"SET\","), csv.stdout)
        XCTAssertTrue(lines[2].hasPrefix("\"GET\","), csv.stdout)
        for line in lines.dropFirst() {
            let cells = line.split(separator: ",")
            XCTAssertEqual(cells.count, 8, String(line))
            XCTAssertTrue(cells.dropFirst().allSatisfy { $0.hasPrefix("\"") && $0.hasSuffix("\"") && Double($0.dropFirst().dropLast()) != nil },
                          String(line))
        }
        let quietCSV = try Cachectl.run(["-p", "\(s.port)", "--db", "2", "bench", "-t", "get", "--requests", "100", "-c", "1", "--csv", "-q"])
        XCTAssertEqual(quietCSV.stdout.split(separator: "\n").first, lines[0], "-q silences no CSV, as redis-benchmark")
    }

    func testMatchesRedisBenchmarksColumnsAndQuietLines() throws {
        let s = try server()
        try s.cli(["-n", "2", "FLUSHDB"])
        guard let redisBenchmark = findExecutable("redis-benchmark") else { throw XCTSkip("redis-benchmark is not installed") }
        let theirs = try ShellScript.run("\(redisBenchmark) -p \(s.port) --dbnum 2 -t get -n 200 -c 1 --csv 2>/dev/null; "
                                         + "\(redisBenchmark) -p \(s.port) --dbnum 2 -t get -n 200 -c 1 -q 2>/dev/null | tr '\\r' '\\n'").stdout
        try s.cli(["-n", "2", "FLUSHDB"])
        let csv = try Cachectl.run(["-p", "\(s.port)", "--db", "2", "bench", "-t", "get", "--requests", "200", "-c", "1", "--csv"])
        let quiet = try Cachectl.run(["-p", "\(s.port)", "--db", "2", "bench", "-t", "get", "--requests", "200", "-c", "1", "-q"])
        let theirLines = theirs.split(separator: "\n")
        let ours = csv.stdout.split(separator: "\n")
        XCTAssertEqual(ours.first, theirLines.first, theirs)
        XCTAssertEqual(ours.count, 2, csv.stdout)
        XCTAssertEqual(ours.last?.split(separator: ",").first, theirLines.dropFirst().first?.split(separator: ",").first)
        // `GET: 1234.56 requests per second, p50=0.123 msec`: the same words around the numbers.
        func shape(_ line: Substring) -> String { String(line.replacing(/[0-9]+\.[0-9]+/, with: "N")) }
        let theirQuiet = theirLines.first { $0.hasPrefix("GET: ") && $0.contains("requests per second") }
        XCTAssertNotNil(theirQuiet, theirs)
        XCTAssertEqual(quiet.stdout.split(separator: "\n").map(shape), theirQuiet.map { [shape($0)] } ?? [], quiet.stdout)
    }

    func testProgressLineOnlyWhenAskedFor() throws {
        let s = try server()
        let r = try Cachectl.run(["-p", "\(s.port)", "--db", "2", "bench", "-t", "ping", "--duration", "600ms", "-c", "2", "--progress", "-q"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("PING_MBULK: "), r.stdout)
        XCTAssertEqual(r.stderr, "", "--quiet wins over --progress")
        let shown = try Cachectl.run(["-p", "\(s.port)", "--db", "2", "bench", "-t", "ping", "--duration", "600ms", "-c", "2", "--progress"])
        XCTAssertTrue(shown.stderr.contains("\rping: "), shown.stderr)
        XCTAssertTrue(shown.stderr.contains("req/s"), shown.stderr)
    }

    func testServerErrorReplyExits2Verbatim() throws {
        let s = try RedisServer.start(extraArguments: ["--maxmemory", "1", "--maxmemory-policy", "noeviction"])
        defer { s.stop() }
        let r = try Cachectl.run(["-p", "\(s.port)", "bench", "-t", "set", "--requests", "100000"])
        XCTAssertEqual(r.exitCode, 2, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.hasPrefix("cachectl: error: OOM command not allowed"), r.stderr)
    }

    func testLostConnectionExits69AtOnce() throws {
        let s = try RedisServer.start()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { s.stop() }
        let r = try Cachectl.run(["-p", "\(s.port)", "bench", "-t", "get", "--duration", "20s"])
        XCTAssertEqual(r.exitCode, 69, r.stderr)
        XCTAssertTrue(r.stderr.contains("lost") || r.stderr.contains("closed"), r.stderr)
        XCTAssertLessThan(r.elapsed, 4)
    }

    func testSIGINTPrintsThePartialSummaryAndExits130() throws {
        let s = try server()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Cachectl.binaryPath)
        p.arguments = ["-p", "\(s.port)", "--db", "2", "bench", "-t", "get,set", "--duration", "20s", "-c", "4", "--json", "--progress"]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Interrupt once the first test is under way (its progress line shows), not before
        // the handler is installed, however slow the machine.
        var progress = Data()
        let deadline = Date().addingTimeInterval(15)
        while !String(decoding: progress, as: UTF8.self).contains("\rset: ") && Date() < deadline {
            progress.append(err.fileHandleForReading.availableData)
        }
        usleep(200_000)
        p.interrupt()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 130)
        let o = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(o["interrupted"] as? Bool, true)
        let tests = try XCTUnwrap(o["tests"] as? [[String: Any]])
        XCTAssertEqual(tests.map { $0["test"] as? String }, ["set"])
        XCTAssertGreaterThan(tests.first?["requests"] as? Int ?? 0, 0)
        XCTAssertEqual(try s.cli(["-n", "2", "DBSIZE"]), "0", "an interrupted run still cleans up")
    }

    func testClusterIsRefusedWithAReason() throws {
        let f = try ClusterFixture.shared.get()
        let r = try Cachectl.run(["-p", "\(f.ports[0])", "bench", "-t", "set", "--requests", "100"])
        XCTAssertEqual(r.exitCode, 64, r.stderr)
        XCTAssertTrue(r.stderr.contains("cluster mode"), r.stderr)
    }

    func testThroughSentinelEveryConnectionReachesThePrimary() throws {
        let f = try SentinelFixture.shared.get()
        let r = try Cachectl.run(["--sentinel", f.sentinelAddress, "--master", f.masterName, "--db", "6",
                                  "bench", "-t", "set", "--requests", "1000", "-c", "4", "--json", "--yes"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let o = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdoutBytes) as? [String: Any])
        XCTAssertEqual((o["tests"] as? [[String: Any]])?.first?["requests"] as? Int, 1000)
    }

    /// redis-benchmark users type `-n 100000` for the request count; here `-n` is the
    /// database, as in redis-cli, and the error says what to write instead.
    func testRedisBenchmarksDashNGetsAHint() throws {
        let s = try RedisServer.shared.get()
        let r = try Cachectl.run(["-p", "\(s.port)", "bench", "-n", "100000"])
        XCTAssertEqual(r.exitCode, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("cannot use database 100000"), r.stderr)
        XCTAssertTrue(r.stderr.contains("cachectl: hint: -n is the database (as in redis-cli); the request count is --requests"), r.stderr)
    }
}
