import XCTest
import Foundation
import TestSupport

/// `cachectl cache get|set|fetch` as scripts use them: exact bytes on stdout, exit codes,
/// one runner under a stampede, stale-if-error, refresh-ahead, and the key layout.
/// Every test uses a prefix of its own on the shared server, so nothing needs flushing.
final class CacheEndToEndTests: XCTestCase {
    private var prefix = ""
    private var server: RedisServer!

    override func setUpWithError() throws {
        server = try RedisServer.shared.get()
        prefix = "e2e-cache-\(UUID().uuidString.prefix(8)):"
    }

    /// The shared server is audited by other tests: nothing of ours stays behind.
    override func tearDownWithError() throws {
        let keys = try server.cli(["--scan", "--pattern", "\(prefix)*"]).split(separator: "\n").map(String.init)
        if !keys.isEmpty { _ = try server.cli(["DEL"] + keys) }
    }

    private func cachectl(_ args: [String], stdin: Data = Data()) throws -> CachectlRun {
        try Cachectl.run(["-p", "\(server.port)", "--prefix", prefix] + args, stdin: stdin)
    }

    @discardableResult
    private func redis(_ args: String...) throws -> String { try server.cli(args) }

    // MARK: fetch

    /// The issue's check: 20 concurrent fetches of a missing key run the command once
    /// (it appends to a counter file) and all print its output.
    func testTwentyConcurrentFetchesOnAMissRunTheCommandOnce() throws {
        let dir = try ShellScript.temporaryDirectory()
        let counter = dir.appendingPathComponent("runs").path
        let r = try ShellScript.run("""
            for n in $(seq 1 20); do
              "$CACHECTL" -p \(server.port) --prefix '\(prefix)' cache fetch k --ttl 60s -- \
                sh -c 'echo run >> "$1"; sleep 0.3; printf "computed value"' sh "\(counter)" > "\(dir.path)/out.$n" 2>> "\(dir.path)/err" \
                || echo "fetch $n failed: $?" &
            done
            wait
            printf 'computed value' > "\(dir.path)/expected"
            same=0
            for f in "\(dir.path)"/out.*; do cmp -s "$f" "\(dir.path)/expected" && same=$((same + 1)); done
            echo "$same identical"
            """, timeout: 90)
        let errors = (try? String(contentsOfFile: dir.appendingPathComponent("err").path, encoding: .utf8)) ?? ""
        XCTAssertEqual(r.stdout, "20 identical\n", errors)
        XCTAssertEqual(try String(contentsOfFile: counter, encoding: .utf8), "run\n", "exactly one run")
        XCTAssertEqual(try redis("GET", "\(prefix)k"), "computed value")
        XCTAssertGreaterThan(Int(try redis("PTTL", "\(prefix)k")) ?? 0, 50_000)
        XCTAssertEqual(try redis("EXISTS", "\(prefix)lock:cache:{\(prefix)k}"), "0", "the stampede lock was released")
    }

    func testAFailingCommandStoresNothingAndItsExitCodeComesThrough() throws {
        let r = try cachectl(["cache", "fetch", "f", "--ttl", "60s", "--", "sh", "-c", "echo partial; echo why >&2; exit 7"])
        XCTAssertEqual(r.exitCode, 7, r.stderr)
        XCTAssertEqual(r.stdout, "partial\n", "what it printed passes through")
        XCTAssertTrue(r.stderr.contains("why"), "its stderr passes through: \(r.stderr)")
        XCTAssertEqual(try redis("EXISTS", "\(prefix)f"), "0")
        XCTAssertEqual(try redis("EXISTS", "\(prefix)lock:cache:{\(prefix)f}"), "0")
        let then = try cachectl(["cache", "fetch", "f", "--ttl", "60s", "--", "printf", "ok"])
        XCTAssertEqual(then.exitCode, 0, then.stderr)
        XCTAssertEqual(then.stdout, "ok")
    }

    func testStaleIfErrorServesTheOldValue() throws {
        let first = try cachectl(["cache", "fetch", "s", "--ttl", "300ms", "--stale-if-error", "1m", "--", "printf", "old"])
        XCTAssertEqual(first.stdout, "old", first.stderr)
        XCTAssertGreaterThan(Int(try redis("PTTL", "\(prefix)stale:{\(prefix)s}")) ?? 0, 55_000, "the stale copy outlives the TTL")
        Thread.sleep(forTimeInterval: 0.4)
        XCTAssertEqual(try redis("EXISTS", "\(prefix)s"), "0", "the value itself expired")
        let r = try cachectl(["cache", "fetch", "s", "--ttl", "300ms", "--stale-if-error", "--", "sh", "-c", "exit 5"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(r.stdout, "old")
        XCTAssertTrue(r.stderr.contains("serving the stale copy"), r.stderr)
        let json = try cachectl(["cache", "fetch", "s", "--ttl", "300ms", "--stale-if-error", "--json", "--", "false"])
        let doc = try JSONSerialization.jsonObject(with: json.stdoutBytes) as? [String: Any]
        XCTAssertEqual(doc?["source"] as? String, "stale")
        XCTAssertEqual(doc?["commandExitCode"] as? Int, 1)
        let without = try cachectl(["cache", "fetch", "s", "--ttl", "300ms", "--", "sh", "-c", "exit 5"])
        XCTAssertEqual(without.exitCode, 5, "without --stale-if-error the failure comes through")
    }

    func testRefreshAheadRecomputesInTheWindowAndServesTheCurrentValueWhenItFails() throws {
        try redis("SET", "\(prefix)r", "current", "PX", "1000")
        let failed = try cachectl(["cache", "fetch", "r", "--ttl", "10s", "--refresh-ahead", "5s", "--", "sh", "-c", "exit 9"])
        XCTAssertEqual(failed.exitCode, 0, failed.stderr)
        XCTAssertEqual(failed.stdout, "current")
        XCTAssertTrue(failed.stderr.contains("early failed"), failed.stderr)
        let refreshed = try cachectl(["cache", "fetch", "r", "--ttl", "10s", "--refresh-ahead", "5s", "--", "printf", "new"])
        XCTAssertEqual(refreshed.stdout, "new", refreshed.stderr)
        XCTAssertGreaterThan(Int(try redis("PTTL", "\(prefix)r")) ?? 0, 8_000)
        // Outside the window the value is served and nothing runs.
        let served = try cachectl(["cache", "fetch", "r", "--ttl", "10s", "--refresh-ahead", "--", "printf", "newer"])
        XCTAssertEqual(served.stdout, "new")
    }

    /// A caller that finds the lock held waits for the value the holder stores, and gives
    /// up with 75 when --wait runs out first.
    func testWaitersReadTheHoldersValueOrTimeOut() throws {
        try redis("SET", "\(prefix)lock:cache:{\(prefix)w}", "someone:1:abc", "PX", "20000")
        let timedOut = try cachectl(["cache", "fetch", "w", "--ttl", "1m", "--wait", "300ms", "--", "printf", "mine"])
        XCTAssertEqual(timedOut.exitCode, 75, timedOut.stderr)
        XCTAssertEqual(timedOut.stdout, "")
        let r = try ShellScript.run("""
            ( sleep 0.5; redis-cli -p \(server.port) set '\(prefix)w' theirs px 60000 > /dev/null ) &
            "$CACHECTL" -p \(server.port) --prefix '\(prefix)' cache fetch w --ttl 1m --wait 10s -- printf mine
            """)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "theirs")
    }

    func testALongCommandKeepsTheLockRenewed() throws {
        let r = try cachectl(["cache", "fetch", "slow", "--ttl", "1m", "--lock-ttl", "300ms", "--",
                              "sh", "-c", "sleep 1; printf done"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(r.stdout, "done")
        XCTAssertFalse(r.stderr.contains("not stored"), r.stderr)
        XCTAssertEqual(try redis("GET", "\(prefix)slow"), "done", "stored: the lock was renewed while it ran")
    }

    /// SIGTERM to cachectl reaches the command's process group; the command's status (here
    /// 143) comes through, nothing is stored and the stampede lock is released.
    func testASignalIsForwardedAndNothingIsStored() throws {
        let dir = try ShellScript.temporaryDirectory()
        let ready = dir.appendingPathComponent("ready").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Cachectl.binaryPath)
        p.arguments = ["-p", "\(server.port)", "--prefix", prefix, "cache", "fetch", "sig", "--ttl", "1m", "--",
                       "sh", "-c", "trap 'printf partial; exit 143' TERM; touch \(ready); while :; do sleep 0.05; done"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        addTeardownBlock { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: ready) && Date() < deadline { usleep(10_000) }
        XCTAssertEqual(try redis("EXISTS", "\(prefix)lock:cache:{\(prefix)sig}"), "1", "the runner holds the lock")
        kill(p.processIdentifier, SIGTERM)
        let printed = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 143)
        XCTAssertEqual(String(decoding: printed, as: UTF8.self), "partial")
        XCTAssertEqual(try redis("EXISTS", "\(prefix)sig"), "0")
        XCTAssertEqual(try redis("EXISTS", "\(prefix)lock:cache:{\(prefix)sig}"), "0")
    }

    func testFetchLimitsAndErrors() throws {
        let big = try cachectl(["cache", "fetch", "big", "--ttl", "1m", "--max-size", "1kb", "--", "sh", "-c", "head -c 100000 /dev/zero"])
        XCTAssertEqual(big.exitCode, 65, big.stderr)
        XCTAssertEqual(try redis("EXISTS", "\(prefix)big"), "0")
        XCTAssertEqual(try cachectl(["cache", "fetch", "nf", "--ttl", "1m", "--", "/nonexistent/cmd"]).exitCode, 127)
        XCTAssertEqual(try cachectl(["cache", "fetch", "k", "--", "true"]).exitCode, 64, "--ttl is required")
        XCTAssertEqual(try cachectl(["cache", "fetch", "k", "--ttl", "1m"]).exitCode, 64, "a command is required")
        XCTAssertEqual(try cachectl(["cache", "fetch", "a}b", "--ttl", "1m", "--", "true"]).exitCode, 64)
        XCTAssertEqual(try cachectl(["cache", "fetch", "k", "--ttl", "1m", "--refresh-ahead", "2m", "--", "true"]).exitCode, 64)
        XCTAssertEqual(try cachectl(["cache", "fetch", "k", "--ttl", "1m", "--lock-ttl", "50ms", "--", "true"]).exitCode, 64,
                       "renewed every third: at least 100ms")
        XCTAssertEqual(try cachectl(["cache", "fetch", "k", "--ttl", "1m", "--max-size", "1gb", "--", "true"]).exitCode, 64,
                       "Redis keeps at most 512mb in a string")
        XCTAssertEqual(try redis("EXISTS", "\(prefix)k"), "0", "usage errors store nothing")
    }

    // MARK: get / set

    func testBinaryValuesRoundTripThroughSetAndGet() throws {
        let value = Data([0x00, 0x0A, 0x41, 0x00, 0xFF, 0x0D, 0x0A, 0x0A])
        let set = try cachectl(["cache", "set", "bin", "-", "--ttl", "1m"], stdin: value)
        XCTAssertEqual(set.exitCode, 0, set.stderr)
        let get = try cachectl(["cache", "get", "bin"])
        XCTAssertEqual(get.exitCode, 0, get.stderr)
        XCTAssertEqual(get.stdoutBytes, value, "the exact bytes, no newline added")
        let json = try cachectl(["cache", "get", "bin", "--json"])
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: json.stdoutBytes) as? [String: Any])
        XCTAssertEqual(doc["valueBase64"] as? String, value.base64EncodedString())
        XCTAssertEqual(doc["type"] as? String, "string")
        XCTAssertEqual(doc["ttl"] as? Int, 60)
        let fetched = try cachectl(["cache", "fetch", "bin", "--ttl", "1m", "--", "false"])
        XCTAssertEqual(fetched.stdoutBytes, value, "a hit prints the same bytes")
        let computed = try cachectl(["cache", "fetch", "bin2", "--ttl", "1m", "--", "printf", "a\\000b\\n"])
        XCTAssertEqual(computed.stdoutBytes, Data([0x61, 0x00, 0x62, 0x0A]))
        XCTAssertEqual(try cachectl(["cache", "get", "bin2"]).stdoutBytes, Data([0x61, 0x00, 0x62, 0x0A]))
    }

    /// Values past the 8 MB a reply to most commands may take: a cached string is read
    /// whole, up to Redis's own limit.
    func testLargeValuesRoundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        let block = (0..<65_536).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var value = Data(capacity: 150 * block.count + 3)
        for _ in 0..<150 { value.append(contentsOf: block) }  // 9.4 MiB, NULs and newlines included
        value.append(contentsOf: [0, 10, 0])
        let set = try cachectl(["cache", "set", "large", "--ttl", "1m"], stdin: value)
        XCTAssertEqual(set.exitCode, 0, set.stderr)
        let get = try cachectl(["cache", "get", "large"])
        XCTAssertEqual(get.exitCode, 0, get.stderr)
        XCTAssertTrue(get.stdoutBytes == value, "get: \(get.stdoutBytes.count) bytes")
        let hit = try cachectl(["cache", "fetch", "large", "--ttl", "1m", "--", "false"])
        XCTAssertEqual(hit.exitCode, 0, hit.stderr)
        XCTAssertTrue(hit.stdoutBytes == value, "fetch hit: \(hit.stdoutBytes.count) bytes")
        let computed = try cachectl(["cache", "fetch", "large2", "--ttl", "1m", "--", "head", "-c", "\(10 << 20)", "/dev/zero"])
        XCTAssertEqual(computed.exitCode, 0, computed.stderr)
        XCTAssertEqual(computed.stdoutBytes.count, 10 << 20)
        XCTAssertEqual(try redis("STRLEN", "\(prefix)large2"), "\(10 << 20)")
    }

    func testGetOfAMissingKeyExitsOneAndSetWithoutATTLIsAUsageError() throws {
        let missing = try cachectl(["cache", "get", "nothing"])
        XCTAssertEqual(missing.exitCode, 1)
        XCTAssertEqual(missing.stdout, "")
        let json = try cachectl(["cache", "get", "nothing", "--json"])
        XCTAssertEqual(json.exitCode, 1)
        XCTAssertEqual(json.stdout, "{\"key\":\"nothing\",\"found\":false}\n")

        let noTTL = try cachectl(["cache", "set", "k", "v"])
        XCTAssertEqual(noTTL.exitCode, 64)
        XCTAssertTrue(noTTL.stderr.contains("--ttl"), noTTL.stderr)
        XCTAssertEqual(try redis("EXISTS", "\(prefix)k"), "0")
        XCTAssertEqual(try cachectl(["cache", "set", "k", "v", "--ttl", "1m", "--no-ttl"]).exitCode, 64)
        XCTAssertEqual(try cachectl(["cache", "set", "k", "v", "--no-ttl"]).exitCode, 0)
        XCTAssertEqual(try redis("PTTL", "\(prefix)k"), "-1")
        let forever = try cachectl(["cache", "get", "k", "--json"])
        XCTAssertTrue(forever.stdout.contains("\"ttlMs\":null"), forever.stdout)
    }

    func testGetOfAnotherTypeNamesIt() throws {
        try redis("HSET", "\(prefix)h", "f", "v")
        let r = try cachectl(["cache", "get", "h"])
        XCTAssertEqual(r.exitCode, 2)
        XCTAssertTrue(r.stderr.contains("holds a hash"), r.stderr)
    }
}

/// A user made from `cachectl acl cache` runs get, set and every fetch path under its
/// prefix, and nothing more.
final class CacheLeastPrivilegeEndToEndTests: XCTestCase {
    func testAUserFromCachectlACLRunsEveryCachePath() throws {
        let s = try RestrictedServers.aclUser.get()
        let user = "gen-cache"
        let line = try Cachectl.run(["--user", user, "--prefix", "app:", "acl", "cache"])
        XCTAssertEqual(line.exitCode, 0, line.stderr)
        XCTAssertEqual(line.stdout, "ACL SETUSER gen-cache on resetkeys resetchannels -@all +get +set +pttl +evalsha +eval "
                       + "+pexpire +del +type +client|setname +cluster|myid +cluster|slots +asking ~app:*\n")
        XCTAssertEqual(try s.cliLine(line.stdout.trimmingCharacters(in: .newlines)), "OK")
        try s.setUser(user, rules: [">\(user)-pw"])
        let tag = UUID().uuidString.prefix(6)
        let base = ["-p", "\(s.port)", "--user", user, "--prefix", "app:", "cache"]
        let env = ["REDISCLI_AUTH": "\(user)-pw"]
        func run(_ args: [String], _ expected: Int32 = 0) throws -> CachectlRun {
            let r = try Cachectl.run(base + args, environment: env)
            XCTAssertEqual(r.exitCode, expected, "cachectl cache \(args.joined(separator: " ")): \(r.stderr)")
            return r
        }
        XCTAssertEqual(try run(["fetch", "f\(tag)", "--ttl", "300ms", "--lock-ttl", "300ms", "--stale-if-error", "--",
                                "sh", "-c", "sleep 0.3; printf v"]).stdout, "v")
        Thread.sleep(forTimeInterval: 0.35)
        XCTAssertEqual(try run(["fetch", "f\(tag)", "--ttl", "1m", "--stale-if-error", "--", "false"]).stdout, "v")
        XCTAssertEqual(try run(["fetch", "f\(tag)", "--ttl", "1m", "--", "printf", "w"]).stdout, "w")
        try s.cli(["PEXPIRE", "app:f\(tag)", "1000"])
        XCTAssertEqual(try run(["fetch", "f\(tag)", "--ttl", "1m", "--refresh-ahead", "30s", "--", "printf", "x"]).stdout, "x")
        _ = try run(["set", "s\(tag)", "1", "--ttl", "1m"])
        XCTAssertTrue(try run(["get", "s\(tag)", "--json"]).stdout.contains("\"ttl\":60"))
        // Shared with other tests' audits: everything made here expires, and goes at the end.
        addTeardownBlock { _ = try? s.cli(["DEL", "app:h\(tag)", "app:f\(tag)", "app:s\(tag)", "app:stale:{app:f\(tag)}"]) }
        try s.cli(["HSET", "app:h\(tag)", "f", "v"])
        try s.cli(["EXPIRE", "app:h\(tag)", "600"])
        XCTAssertTrue(try run(["get", "h\(tag)"], 2).stderr.contains("holds a hash"))
        _ = try run(["get", "missing\(tag)"], 1)
        let cli = ["--user", user, "--pass", "\(user)-pw", "--no-auth-warning"]
        XCTAssertTrue(try s.cli(cli + ["SET", "other:x", "1"]).hasPrefix("NOPERM"))
    }
}

/// The same promises on a three-primary cluster: the value, its lock and its stale copy
/// share one slot, so the scripts are accepted.
final class ClusterCacheEndToEndTests: XCTestCase {
    func testFetchAndStaleIfErrorOnACluster() throws {
        let f = try ClusterFixture.shared.get()
        for i in 0..<4 {
            let base = ["-p", "\(f.ports[i % 3])", "--prefix", "cc\(getpid()):", "cache"]
            let key = i == 3 ? "{tenant}:stats" : "stats:\(i)"
            let computed = try Cachectl.run(base + ["fetch", key, "--ttl", "300ms", "--stale-if-error", "--", "printf", "v\(i)"])
            XCTAssertEqual(computed.exitCode, 0, computed.stderr)
            XCTAssertEqual(computed.stdout, "v\(i)")
            Thread.sleep(forTimeInterval: 0.35)
            let stale = try Cachectl.run(base + ["fetch", key, "--ttl", "300ms", "--stale-if-error", "--", "false"])
            XCTAssertEqual(stale.exitCode, 0, stale.stderr)
            XCTAssertEqual(stale.stdout, "v\(i)")
            XCTAssertEqual(try Cachectl.run(base + ["set", key, "x", "--ttl", "1m"]).exitCode, 0)
            XCTAssertEqual(try Cachectl.run(base + ["get", key]).stdout, "x")
        }
    }
}
