import XCTest
import Foundation
import TestSupport

/// cachectl works wherever the application works: as a least-privilege ACL user, on a
/// server whose admin commands are renamed away, and as a user made from `cachectl acl`.
/// Each subcommand exits 0 with the right effect on the keyspace, or degrades with its
/// documented warning; never an unexplained 2 or 77.
final class LeastPrivilegeEndToEndTests: XCTestCase {
    static let prefix = "app:"

    // MARK: The fixtures

    func testLeastPrivilegeACLUserRunsEverySubcommand() throws {
        let s = try RestrictedServers.aclUser.get()
        let base = ["-p", "\(s.port)", "--user", "app"]
        let env = ["REDISCLI_AUTH": "app-pw"]
        for sub in ["keys", "invalidate", "lock", "ratelimit"] {
            try exercise(sub, on: s, base: base + ["--prefix", Self.prefix], env: env, label: "acl")
        }
    }

    func testLeastPrivilegeUserWithoutPrefixListsAndInvalidatesItsOwnPatterns() throws {
        // The issue's own commands: keys under app: named by the pattern, no --prefix.
        let s = try RestrictedServers.aclUser.get()
        try s.cli(["SET", "app:t1:x", "1", "EX", "600"])
        let env = ["REDISCLI_AUTH": "app-pw"]
        let base = ["-p", "\(s.port)", "--user", "app"]
        let list = try Cachectl.run(base + ["keys", "list", "app:t1:*"], environment: env)
        XCTAssertEqual(list.exitCode, 0, list.stderr)
        XCTAssertTrue(list.stdout.contains("app:t1:x"), list.stdout)
        let stats = try Cachectl.run(base + ["keys", "stats"], environment: env)
        XCTAssertEqual(stats.exitCode, 0, stats.stderr)
        let gone = try Cachectl.run(base + ["invalidate", "app:t1:*", "--yes"], environment: env)
        XCTAssertEqual(gone.exitCode, 0, gone.stderr)
        XCTAssertEqual(try s.cli(["EXISTS", "app:t1:x"]), "0")
    }

    func testRenamedAdminCommandsDegradeWithOneWarning() throws {
        let s = try RestrictedServers.renamed.get()
        let base = ["-p", "\(s.port)", "--prefix", Self.prefix]
        for sub in ["keys", "invalidate", "lock", "ratelimit"] {
            try exercise(sub, on: s, base: base, env: [:], label: "renamed")
        }
        try s.cli(["SET", "app:sized", "v", "EX", "600"])
        let sized = try Cachectl.run(base + ["keys", "list", "sized", "--size", "--ttl"])
        XCTAssertEqual(sized.exitCode, 0, sized.stderr)
        XCTAssertTrue(sized.stdout.hasPrefix("sized\t"), sized.stdout)
        XCTAssertEqual(sized.stderr.components(separatedBy: "MEMORY USAGE unavailable").count, 2, "one warning: \(sized.stderr)")
        let stats = try Cachectl.run(base + ["keys", "stats", "--json"])
        XCTAssertEqual(stats.exitCode, 0, stats.stderr)
        let json = try jsonObject(stats.stdoutBytes)
        let unavailable = try XCTUnwrap(json["unavailable"] as? [[String: Any]])
        XCTAssertEqual(unavailable.first?["command"] as? String, "MEMORY USAGE")
        XCTAssertEqual(unavailable.first?["reason"] as? String, "unknownCommand")
        XCTAssertEqual((json["warnings"] as? [String])?.count, 1)
        // --resp3 was asked for explicitly: explained, not silently downgraded.
        let resp3 = try Cachectl.run(base + ["--resp3", "keys", "list", "x"])
        XCTAssertNotEqual(resp3.exitCode, 0)
        XCTAssertTrue(resp3.stderr.contains("RESP3") && resp3.stderr.contains("--resp3"), resp3.stderr)
    }

    func testBenchLoadsItsScriptsWithoutSCRIPT() throws {
        let s = try RestrictedServers.renamed.get()
        let r = try Cachectl.run(["-p", "\(s.port)", "-n", "5", "bench", "-t", "lock,ratelimit", "--requests", "200", "-c", "2", "-q"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
    }

    func testWithoutCLUSTERAndINFOTheServerCountsAsStandalone() throws {
        let s = try RedisServer.start(extraArguments: ["--rename-command", "CLUSTER", "", "--rename-command", "INFO", ""])
        defer { s.stop() }
        try s.cli(["SET", "solo:1", "v"])
        let list = try Cachectl.run(["-p", "\(s.port)", "keys", "list", "solo:*"])
        XCTAssertEqual(list.exitCode, 0, list.stderr)
        XCTAssertEqual(list.stdout, "solo:1\n")
        let gone = try Cachectl.run(["-p", "\(s.port)", "invalidate", "solo:*", "--yes", "--json"])
        XCTAssertEqual(gone.exitCode, 0, gone.stderr)
        XCTAssertEqual(try s.cli(["EXISTS", "solo:1"]), "0")
        // Without INFO the pacing cannot see the load: gentle sizes, and the summary says so.
        let pacing = try jsonObject(gone.stdoutBytes)["pacing"] as? [String: Any]
        XCTAssertEqual(pacing?["mode"] as? String, "blind", gone.stdout)
    }

    func testUsersMadeByCachectlACLRunTheirSubcommandAndNothingMore() throws {
        let s = try RestrictedServers.aclUser.get()
        let all = ["keys", "invalidate", "lock", "ratelimit"]
        for sub in all + ["all"] {
            let user = "gen-\(sub)"
            let subs = sub == "all" ? all : [sub]
            let line = try Cachectl.run(["--user", user, "--prefix", Self.prefix, "acl"] + subs
                                        + ["--publish", "app:events"])
            XCTAssertEqual(line.exitCode, 0, line.stderr)
            XCTAssertTrue(line.stdout.hasPrefix("ACL SETUSER \(user) on resetkeys resetchannels -@all +"), line.stdout)
            XCTAssertFalse(line.stdout.contains(">"), "no password in the line: \(line.stdout)")
            XCTAssertEqual(try s.cliLine(line.stdout.trimmingCharacters(in: .newlines)), "OK")
            try s.setUser(user, rules: [">\(user)-pw"])
            let base = ["-p", "\(s.port)", "--user", user, "--prefix", Self.prefix]
            for run in subs {
                try exercise(run, on: s, base: base, env: ["REDISCLI_AUTH": "\(user)-pw"], label: user)
            }
            // Nothing more: no admin commands, no keys outside the prefix.
            let cli = ["--user", user, "--pass", "\(user)-pw", "--no-auth-warning"]
            XCTAssertTrue(try s.cli(cli + ["FLUSHALL"]).hasPrefix("NOPERM"), user)
            XCTAssertTrue(try s.cli(cli + ["CONFIG", "GET", "requirepass"]).hasPrefix("NOPERM"), user)
            XCTAssertTrue(try s.cli(cli + ["SET", "other:x", "1"]).hasPrefix("NOPERM"), user)
        }
    }

    func testMinimalInvalidateUserIsRefusedOutsideItsPrefixWithTheRuleNamed() throws {
        let s = try RestrictedServers.aclUser.get()
        let line = try Cachectl.run(["--user", "inv", "--prefix", Self.prefix, "acl", "invalidate"])
        XCTAssertEqual(try s.cliLine(line.stdout.trimmingCharacters(in: .newlines)), "OK")
        try s.setUser("inv", rules: [">inv-pw"])
        try s.cli(["SET", "other:keep", "1"])
        let env = ["REDISCLI_AUTH": "inv-pw"]
        let outside = try Cachectl.run(["-p", "\(s.port)", "--user", "inv", "invalidate", "--key", "other:keep", "--yes"],
                                       environment: env)
        XCTAssertEqual(outside.exitCode, 77, outside.stderr)
        XCTAssertTrue(outside.stderr.contains("the ACL user needs ~other:keep"), outside.stderr)
        XCTAssertEqual(try s.cli(["EXISTS", "other:keep"]), "1")
        let lock = try Cachectl.run(["-p", "\(s.port)", "--user", "inv", "--prefix", Self.prefix, "lock", "acquire", "x"],
                                    environment: env)
        XCTAssertEqual(lock.exitCode, 77, lock.stderr)
        XCTAssertTrue(lock.stderr.contains("the ACL user needs +evalsha (or +eval) and ~app:*"), lock.stderr)
    }

    func testCoreRefusalNamesTheCommandAndTheRule() throws {
        let s = try RestrictedServers.aclUser.get()
        try s.setUser("nodel", rules: ["on", ">nodel-pw", "~app:*", "&*", "+@all", "-@dangerous", "-unlink", "-del"])
        try s.cli(["SET", "app:nodel:1", "1", "EX", "600"])
        let r = try Cachectl.run(["-p", "\(s.port)", "--user", "nodel", "invalidate", "app:nodel:*", "--yes"],
                                 environment: ["REDISCLI_AUTH": "nodel-pw"])
        XCTAssertEqual(r.exitCode, 77, r.stderr)
        XCTAssertTrue(r.stderr.contains("the ACL user needs +unlink (or +del) and ~app:nodel:*"), r.stderr)
    }

    func testARefusalInsideALockScriptIsExplained() throws {
        let s = try RestrictedServers.aclUser.get()
        try s.setUser("noset", rules: ["on", ">noset-pw", "~app:*", "+evalsha", "+eval", "+get", "+del", "+pttl"])
        let r = try Cachectl.run(["-p", "\(s.port)", "--user", "noset", "--prefix", "app:", "lock", "acquire", "noset"],
                                 environment: ["REDISCLI_AUTH": "noset-pw"])
        XCTAssertEqual(r.exitCode, 77, r.stderr)
        XCTAssertTrue(r.stderr.contains("the ACL user needs every command cachectl's scripts run: +evalsha +eval +set"), r.stderr)
    }

    func testUserAllowedDELButNotUNLINKInvalidatesWithDEL() throws {
        let s = try RestrictedServers.aclUser.get()
        try s.setUser("delonly", rules: ["on", ">delonly-pw", "~app:*", "&*", "+@all", "-@dangerous", "-unlink"])
        try s.cli(["SET", "app:delonly:1", "1", "EX", "600"])
        let r = try Cachectl.run(["-p", "\(s.port)", "--user", "delonly", "invalidate", "app:delonly:*", "--yes", "--json"],
                                 environment: ["REDISCLI_AUTH": "delonly-pw"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("\"command\":\"DEL\""), r.stdout)
        XCTAssertEqual(try s.cli(["EXISTS", "app:delonly:1"]), "0")
    }

    func testLockAcquireWarnsWhenLocksCanBeEvicted() throws {
        let s = try RedisServer.start(extraArguments: ["--maxmemory", "100mb", "--maxmemory-policy", "allkeys-lru"])
        defer { s.stop() }
        let r = try Cachectl.run(["-p", "\(s.port)", "lock", "acquire", "evictable"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(r.stderr.components(separatedBy: "maxmemory-policy is allkeys-lru").count, 2, r.stderr)
        let run = try Cachectl.run(["-p", "\(s.port)", "lock", "run", "evictable-run", "--", "true"])
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("noeviction"), run.stderr)
        let quiet = try Cachectl.run(["-p", "\(try RedisServer.shared.get().port)", "lock", "acquire", "safe-\(UUID().uuidString)"])
        XCTAssertFalse(quiet.stderr.contains("maxmemory-policy"), "noeviction by default: \(quiet.stderr)")
    }

    func testLockNamesThatWouldBreakTheSlotAreUsageErrors() throws {
        let s = try RedisServer.shared.get()
        let r = try Cachectl.run(["-p", "\(s.port)", "lock", "acquire", "a}b"])
        XCTAssertEqual(r.exitCode, 64, r.stderr)
        XCTAssertTrue(r.stderr.contains("hash tag"), r.stderr)
    }

    // MARK: One subcommand, end to end

    /// Runs `sub` as a user would, checks its effect with redis-cli (as the admin), and
    /// fails on any exit but the documented one.
    private func exercise(_ sub: String, on s: RedisServer, base: [String], env: [String: String], label: String) throws {
        let tag = "\(label)-\(sub)-\(UUID().uuidString.prefix(6))"
        func run(_ args: [String], _ expected: Int32 = 0) throws -> CachectlRun {
            let r = try Cachectl.run(base + args, environment: env)
            XCTAssertEqual(r.exitCode, expected, "\(label): cachectl \(args.joined(separator: " ")): \(r.stderr)")
            return r
        }
        switch sub {
        case "keys":
            for i in 0..<3 { try s.cli(["SET", "app:\(tag):\(i)", "v", "EX", "600"]) }
            // A lock's fencing counter lives without TTL on purpose: audit must not report it.
            try s.cli(["SET", "app:fence:{app:lock:\(tag)}", "3"])
            let list = try run(["keys", "list", "\(tag):*", "--ttl"])
            XCTAssertEqual(list.stdout.split(separator: "\n").count, 3, list.stdout)
            _ = try run(["keys", "stats"])
            let audit = try run(["keys", "audit", "--json"])
            XCTAssertTrue(audit.stdout.contains("\"clean\":true"), audit.stdout)
            try s.cli(["DEL", "app:fence:{app:lock:\(tag)}"])
            try s.cli(["HSET", "app:\(tag):h", "f", "v"])
            let shown = try run(["keys", "show", "\(tag):0", "\(tag):h"])
            XCTAssertTrue(shown.stdout.contains("type      hash"), shown.stdout)
            _ = try run(["keys", "expire", "\(tag):*", "--ttl", "1h", "--only-missing", "--yes", "--max-latency-ms", "50"])
            XCTAssertGreaterThan(Int(try s.cli(["PTTL", "app:\(tag):h"])) ?? 0, 3_000_000)
        case "invalidate":
            for i in 0..<3 { try s.cli(["SET", "app:\(tag):p:\(i)", "v"]) }
            try s.cli(["SET", "app:\(tag):k", "v"])
            try s.cli(["SET", "app:\(tag):t", "v"])
            try s.cli(["SADD", "app:tag:\(tag)", "\(tag):t"])
            _ = try run(["invalidate", "\(tag):p:*", "--dry-run"])
            _ = try run(["invalidate", "--key", "\(tag):k", "--dry-run"])
            _ = try run(["invalidate", "\(tag):p:*", "--yes", "--max-latency-ms", "50"])
            _ = try run(["invalidate", "--key", "\(tag):k", "--yes", "--publish", "app:events"])
            _ = try run(["invalidate", "--tag", tag, "--yes"])
            XCTAssertEqual(try s.cli(["--scan", "--pattern", "app:\(tag)*"]), "", "\(label): every key went")
            XCTAssertEqual(try s.cli(["EXISTS", "app:tag:\(tag)"]), "0")
        case "lock":
            let owner = try run(["lock", "acquire", tag, "--ttl", "30s"]).stdout.trimmingCharacters(in: .newlines)
            XCTAssertEqual(try s.cli(["GET", "app:lock:\(tag)"]), owner)
            XCTAssertEqual(try s.cli(["GET", "app:fence:{app:lock:\(tag)}"]), "1", "the fence counter is under the prefix")
            _ = try run(["lock", "status", tag])
            _ = try run(["lock", "extend", tag, "--owner", owner, "--ttl", "1m"])
            _ = try run(["lock", "release", tag, "--owner", owner])
            XCTAssertEqual(try s.cli(["EXISTS", "app:lock:\(tag)"]), "0")
            let ran = try run(["lock", "run", tag, "--", "sh", "-c", "echo $CACHECTL_LOCK_TOKEN"])
            XCTAssertEqual(ran.stdout, "2\n", ran.stderr)
            let lease = try run(["lock", "acquire", tag, "--holders", "2"]).stdout.trimmingCharacters(in: .newlines)
            _ = try run(["lock", "status", tag, "--holders", "2"], 1)
            _ = try run(["lock", "run", tag, "--holders", "2", "--wait", "1s", "--", "true"])
            _ = try run(["lock", "release", tag, "--holders", "2", "--owner", lease])
        case "ratelimit":
            let check = try run(["ratelimit", "check", tag, "--limit", "5", "--window", "1m", "--json"])
            XCTAssertTrue(check.stdout.contains("\"remaining\":4"), check.stdout)
            _ = try run(["ratelimit", "status", tag, "--limit", "5", "--window", "1m"])
            for algorithm in ["sliding", "gcra"] {
                _ = try run(["ratelimit", "check", "\(tag)-\(algorithm)", "--limit", "5", "--window", "1m", "--algorithm", algorithm])
                _ = try run(["ratelimit", "reset", "\(tag)-\(algorithm)", "--yes"])
            }
            _ = try run(["ratelimit", "check", "--ip", "10.1.2.3", "--endpoint", "/api/\(tag)"])
            _ = try run(["ratelimit", "status", "--ip", "10.1.2.3"])
            _ = try run(["ratelimit", "reset", tag, "--yes"])
            _ = try run(["ratelimit", "reset", "--ip", "10.1.2.3", "--yes"])
            XCTAssertEqual(try s.cli(["EXISTS", "app:\(tag)"]), "0")
        default:
            XCTFail("no exercise for \(sub)")
        }
    }
}
