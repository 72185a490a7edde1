import XCTest
import Foundation
import TestSupport
import RedisClient

/// `invalidate` on a keyspace of awkward keys: it deletes exactly what it is asked to,
/// refuses what is unsafe, and reports truthfully when stopped.
final class InvalidateEndToEndTests: XCTestCase {
    private var untouched: Set<[UInt8]> { Set(AwkwardKeys.others) }

    func testPatternDeletesExactlyTheMatchingKeys() throws {
        let (conn, args) = try keyspaceDatabase(15)
        try AwkwardKeys.seed(conn, AwkwardKeys.matching + AwkwardKeys.others + [AwkwardKeys.withNul])
        let r = try Cachectl.run(args + ["invalidate", "m:*", "--yes", "--batch", "4", "--count", "5"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("deleted  \(AwkwardKeys.matching.count + 1) keys (matching m:*)"), r.stdout)
        XCTAssertEqual(try AwkwardKeys.allKeys(conn), untouched)
    }

    func testSummaryFieldsLimitTypeAndProgress() throws {
        let (conn, args) = try keyspaceDatabase(15)
        try AwkwardKeys.seed(conn, (0..<50).map { Array("s:\($0)".utf8) } + [Array("other".utf8)])
        try conn.command("HSET", "s:hash", "f", "v")
        let typed = try Cachectl.run(args + ["invalidate", "s:*", "--type", "hash", "--yes", "--json", "--progress"])
        XCTAssertEqual(typed.exitCode, 0, typed.stderr)
        XCTAssertTrue(typed.stderr.contains("invalidating 's:*'"), "forced progress goes to stderr: \(typed.stderr)")
        let t = try jsonObject(typed.stdoutBytes)
        XCTAssertEqual(t["deleted"] as? Int, 1)
        XCTAssertEqual(t["matched"] as? Int, 1)
        XCTAssertEqual(t["scanned"] as? Int, 52)
        XCTAssertEqual(t["command"] as? String, "UNLINK")
        XCTAssertEqual(t["patterns"] as? [String], ["s:*"])
        XCTAssertNotNil(t["elapsedMs"] as? Double)
        XCTAssertNotNil(t["keysPerSecond"] as? Int)
        XCTAssertTrue(t["stopped"] is NSNull)
        XCTAssertTrue(t["error"] is NSNull)
        XCTAssertNil(t["sample"], "only dry runs carry a sample")

        let limited = try Cachectl.run(args + ["invalidate", "s:*", "--limit", "20", "--batch", "7", "--yes", "--json"])
        XCTAssertEqual(limited.exitCode, 0, limited.stderr)
        let l = try jsonObject(limited.stdoutBytes)
        XCTAssertEqual(l["deleted"] as? Int, 20)
        XCTAssertEqual(l["stopped"] as? String, "limit")
        XCTAssertEqual(try AwkwardKeys.allKeys(conn).count, 31)
        let human = try Cachectl.run(args + ["invalidate", "s:*", "--key", "other", "--yes"])
        XCTAssertTrue(human.stdout.hasPrefix("deleted  31 keys (matching s:*, 1 named)"), human.stdout)
        try AwkwardKeys.seed(conn, [Array("one".utf8)])
        let single = try Cachectl.run(args + ["invalidate", "--key", "one", "--dry-run"])
        XCTAssertTrue(single.stdout.contains("would delete  1 key ("), "no '1 keys': \(single.stdout)")
        XCTAssertTrue(try Cachectl.run(args + ["invalidate", "--key", "one", "--yes"]).stdout.hasPrefix("deleted  1 key ("))
        XCTAssertEqual(try Cachectl.run(args + ["invalidate", "s:*", "--yes", "--rate", "0"]).exitCode, 64)
        XCTAssertEqual(try Cachectl.run(args + ["invalidate", "s:*", "--yes", "--batch", "0"]).exitCode, 64)
    }

    func testDryRunDeletesNothing() throws {
        let (conn, args) = try keyspaceDatabase(15)
        try AwkwardKeys.seed(conn, AwkwardKeys.matching + AwkwardKeys.others)
        let r = try Cachectl.run(args + ["invalidate", "m:*", "--dry-run", "--json", "--sample", "100"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let summary = try jsonObject(r.stdoutBytes)
        XCTAssertEqual(summary["dryRun"] as? Bool, true)
        XCTAssertEqual(summary["matched"] as? Int, AwkwardKeys.matching.count)
        XCTAssertEqual(summary["deleted"] as? Int, 0)
        XCTAssertEqual((summary["sample"] as? [String])?.count, AwkwardKeys.matching.count)
        XCTAssertEqual(try AwkwardKeys.allKeys(conn).count, AwkwardKeys.matching.count + AwkwardKeys.others.count)
        let human = try Cachectl.run(args + ["invalidate", "m:*", "--dry-run", "--sample", "2"])
        XCTAssertTrue(human.stdout.contains("would delete  \(AwkwardKeys.matching.count) keys"), human.stdout)
        XCTAssertTrue(human.stdout.contains("sample (2 of \(AwkwardKeys.matching.count)):"), human.stdout)
    }

    func testKeysFromWhatKeysListPrinted() throws {
        let (conn, args) = try keyspaceDatabase(15)
        try AwkwardKeys.seed(conn, AwkwardKeys.matching + AwkwardKeys.others)
        let listed = try Cachectl.run(args + ["keys", "list", "m:*"])
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("cachectl-keys-\(getpid()).txt")
        try listed.stdoutBytes.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let r = try Cachectl.run(args + ["invalidate", "--keys-from", file.path, "--yes", "--json"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(try jsonObject(r.stdoutBytes)["deleted"] as? Int, AwkwardKeys.matching.count)
        XCTAssertEqual(try AwkwardKeys.allKeys(conn), untouched)
    }

    func testKeysFromNulSeparatedStdinAndExplicitKeys() throws {
        let (conn, args) = try keyspaceDatabase(15)
        try AwkwardKeys.seed(conn, AwkwardKeys.matching + AwkwardKeys.others)
        let chosen = Array(AwkwardKeys.matching.prefix(5))
        var input = Data()
        for key in chosen { input.append(contentsOf: key + [0]) }
        // --key shadows the TLS client key option inside invalidate.
        let r = try Cachectl.run(args + ["invalidate", "--keys-from", "-", "-0", "--key", "n:plain", "--yes"], stdin: input)
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(try AwkwardKeys.allKeys(conn),
                       Set(AwkwardKeys.matching.dropFirst(5)).union(untouched.subtracting([Array("n:plain".utf8)])))
    }

    func testMalformedKeysFromExits65BeforeDeletingAnything() throws {
        let (conn, args) = try keyspaceDatabase(15)
        try AwkwardKeys.seed(conn, AwkwardKeys.matching)
        let r = try Cachectl.run(args + ["invalidate", "--keys-from", "-", "--yes", "m:*"],
                                 stdin: Data("m:plain\n\"m:new\\nline\n".utf8))
        XCTAssertEqual(r.exitCode, 65, r.stderr)
        XCTAssertTrue(r.stderr.contains("line 2: no closing quote"), r.stderr)
        XCTAssertEqual(try AwkwardKeys.allKeys(conn).count, AwkwardKeys.matching.count)
        let missing = try Cachectl.run(args + ["invalidate", "--keys-from", "/nonexistent/keys", "--yes"])
        XCTAssertEqual(missing.exitCode, 74, missing.stderr)
    }

    func testTagDeletesItsKeysThenTheSetWithPrefixAndFormat() throws {
        let (conn, args) = try keyspaceDatabase(15)
        let prefix = "svc:"
        try AwkwardKeys.seed(conn, (AwkwardKeys.matching + AwkwardKeys.others).map { Array(prefix.utf8) + $0 })
        let tagged = Array(AwkwardKeys.matching.suffix(6))
        try conn.command([Array("SADD".utf8), Array("svc:tags:customer:42".utf8)] + tagged)
        try conn.command("SADD", "svc:tags:customer:7", "n:plain")
        let r = try Cachectl.run(args + ["--prefix", prefix, "invalidate", "--tag", "customer:42", "--tag-key", "tags:{tag}",
                                         "--yes", "--json"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        let summary = try jsonObject(r.stdoutBytes)
        XCTAssertEqual(summary["deleted"] as? Int, 6)
        XCTAssertEqual(summary["tagSetsDeleted"] as? Int, 1)
        let expected = Set((AwkwardKeys.matching.dropLast(6) + AwkwardKeys.others).map { Array(prefix.utf8) + $0 })
            .union([Array("svc:tags:customer:7".utf8)])
        XCTAssertEqual(try AwkwardKeys.allKeys(conn), expected)
    }

    func testPublishesTheSeedsEvent() throws {
        let (conn, args) = try keyspaceDatabase(15)
        try AwkwardKeys.seed(conn, (0..<5).map { Array("dash:\($0)".utf8) } + [Array("k1".utf8)])
        let s = try RedisServer.shared.get()
        let subscriber = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port)))
        let channel = "cache:invalidate:\(getpid())"
        _ = try subscriber.command("SUBSCRIBE", channel)
        let r = try Cachectl.run(args + ["invalidate", "dash:*", "--key", "k1", "--key", "k2", "--yes", "--publish", channel])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        var messages: [[String: Any]] = []
        for _ in 0..<2 {
            let parts = try XCTUnwrap(try subscriber.readReply().elements)
            XCTAssertEqual(parts.first?.string, "message")
            messages.append(try jsonObject(Data(try XCTUnwrap(parts.last?.bytes))))
        }
        XCTAssertEqual(messages[0]["type"] as? String, "pattern")
        XCTAssertEqual(messages[0]["patterns"] as? [String], ["dash:*"])
        XCTAssertEqual(messages[0]["deleted"] as? Int, 5)
        XCTAssertEqual(messages[1]["type"] as? String, "keys")
        XCTAssertEqual(messages[1]["keys"] as? [String], ["k1", "k2"])
        XCTAssertEqual(messages[1]["deleted"] as? Int, 1)
    }

    func testSafetyRules() throws {
        let (conn, args) = try keyspaceDatabase(15)
        try AwkwardKeys.seed(conn, AwkwardKeys.matching)
        let everything = try Cachectl.run(args + ["invalidate", "*", "--yes"])
        XCTAssertEqual(everything.exitCode, 64)
        XCTAssertTrue(everything.stderr.contains("--force"), everything.stderr)
        let unconfirmed = try Cachectl.run(args + ["invalidate", "m:*"])
        XCTAssertEqual(unconfirmed.exitCode, 64)
        XCTAssertTrue(unconfirmed.stderr.contains("--yes"), unconfirmed.stderr)
        let nothing = try Cachectl.run(args + ["invalidate", "--yes"])
        XCTAssertEqual(nothing.exitCode, 64)
        XCTAssertEqual(try Cachectl.run(args + ["invalidate", "m:*", "--yes", "--tag-key", "t:{tag}"]).exitCode, 64)
        XCTAssertEqual(try Cachectl.run(args + ["invalidate", "--tag", "t", "--yes", "--tag-key", "nope"]).exitCode, 64)
        XCTAssertEqual(try AwkwardKeys.allKeys(conn).count, AwkwardKeys.matching.count, "nothing was deleted")
        // With a prefix, '*' is confined to it and needs no --force.
        let scoped = try Cachectl.run(args + ["--prefix", "m:", "invalidate", "*", "--yes", "--json"])
        XCTAssertEqual(scoped.exitCode, 0, scoped.stderr)
        XCTAssertEqual(try AwkwardKeys.allKeys(conn).count, 0)
    }

    /// On a terminal the question names the pattern and the database size as what they are:
    /// 2 of 12 keys match, and 12 must not read as the number about to be deleted.
    func testPromptSaysTheDatabaseSizeIsNotTheMatchCount() throws {
        guard let script = ["/usr/bin/script", "/bin/script"].first(where: FileManager.default.isExecutableFile)
        else { throw XCTSkip("script(1) (util-linux) is needed to give cachectl a terminal") }
        let (conn, args) = try keyspaceDatabase(15)
        try AwkwardKeys.seed(conn, ["x:1a", "x:1b"].map { Array($0.utf8) } + (0..<10).map { Array("y:\($0)".utf8) })
        let command = ([Cachectl.binaryPath] + args + ["invalidate", "x:1*"]).map { "'\($0)'" }.joined(separator: " ")
        // script(1) runs cachectl on a pseudo-terminal and types the answer "n".
        let r = try ShellScript.run("printf 'n\\n' | \(script) -qec \"\(command)\" /dev/null")
        XCTAssertEqual(r.status, 1, "declined: \(r.stdout) \(r.stderr)")
        XCTAssertTrue(r.stdout.contains("Delete the keys matching 'x:1*' from db 15 on 127.0.0.1:")
                      && r.stdout.contains(" (the database holds 12 keys; --dry-run counts the matches)? [y/N]"), r.stdout)
        XCTAssertFalse(r.stdout.contains("(12 keys)"), r.stdout)
        XCTAssertEqual(try AwkwardKeys.allKeys(conn).count, 12, "nothing was deleted")
    }

    func testInterruptStopsWithAPartialSummaryAndARerunFinishes() throws {
        let (conn, args) = try keyspaceDatabase(15)
        let total = 20_000
        try AwkwardKeys.seed(conn, (0..<total).map { Array("slow:\($0)".utf8) })
        for (signal, code) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            let r = try runInterrupted(args + ["invalidate", "slow:*", "--yes", "--rate", "4000", "--json"],
                                       signal: signal, after: 0.6)
            XCTAssertEqual(r.exitCode, code, r.stderr)
            let summary = try jsonObject(r.stdout)
            XCTAssertEqual(summary["stopped"] as? String, "interrupted")
            let deleted = try XCTUnwrap(summary["deleted"] as? Int)
            XCTAssertGreaterThan(deleted, 0)
            XCTAssertLessThan(deleted, total)
            XCTAssertTrue(r.stderr.contains("run the same command again"), r.stderr)
        }
        let left = try AwkwardKeys.allKeys(conn).count
        XCTAssertGreaterThan(left, 0)
        let rerun = try Cachectl.run(args + ["invalidate", "slow:*", "--yes", "--json"])
        XCTAssertEqual(rerun.exitCode, 0, rerun.stderr)
        XCTAssertEqual(try jsonObject(rerun.stdoutBytes)["deleted"] as? Int, left, "the partial figures were true")
        XCTAssertEqual(try AwkwardKeys.allKeys(conn).count, 0)
    }

    func testLostConnectionExits69WithThePartialCount() throws {
        let server = try RedisServer.start()
        let conn = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: server.host, port: server.port)))
        try AwkwardKeys.seed(conn, (0..<20_000).map { Array("gone:\($0)".utf8) })
        let killer = Thread {
            Thread.sleep(forTimeInterval: 0.6)
            server.stop()
        }
        killer.start()
        let r = try Cachectl.run(["-p", "\(server.port)", "invalidate", "gone:*", "--yes", "--rate", "4000"], timeout: 20)
        XCTAssertEqual(r.exitCode, 69, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("error; rerun to finish"), r.stdout)
        XCTAssertTrue(r.stderr.contains("cachectl: error: connection to"), r.stderr)
        XCTAssertLessThan(r.elapsed, 10, "never hangs")
    }

    /// A cron pipeline that found nothing (`keys list 'x:*' -0 | invalidate --keys-from -
    /// -0 --yes`) is nothing to do: exit 0 and a summary of 0, never a usage error.
    func testAnEmptyKeyListIsNothingToDo() throws {
        let s = try RedisServer.shared.get()
        let base = ["-p", "\(s.port)", "invalidate", "--keys-from", "-", "--yes"]
        for flags in [[], ["-0"]] {
            let text = try Cachectl.run(base + flags, stdin: Data())
            XCTAssertEqual(text.exitCode, 0, text.stderr)
            XCTAssertTrue(text.stderr.contains("--keys-from gave no keys"), text.stderr)
            let json = try Cachectl.run(base + flags + ["--json"], stdin: Data())
            XCTAssertEqual(json.exitCode, 0, json.stderr)
            let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: json.stdoutBytes) as? [String: Any], json.stdout)
            XCTAssertEqual(doc["deleted"] as? Int, 0)
            XCTAssertEqual(doc["exitCode"] as? Int, 0)
        }
        // Without any source it is still a usage error.
        XCTAssertEqual(try Cachectl.run(["-p", "\(s.port)", "invalidate", "--yes"]).exitCode, 64)
    }
}
