import XCTest
import Foundation
import TestSupport
import RedisClient

/// `cachectl watch` against servers of its own: the events other commands publish, a
/// restart on the same port, silence longer than --timeout, Ctrl-C, patterns and bytes.
final class WatchEndToEndTests: XCTestCase {
    private func lines(_ text: String) -> [String] { text.split(separator: "\n").map(String.init) }

    private func object(_ line: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], line)
    }

    private func started(_ s: RedisServer, _ args: [String], channel: String = "cache:invalidate") throws -> BackgroundCachectl {
        let watch = try BackgroundCachectl(["-p", "\(s.port)", "watch"] + args)
        XCTAssertTrue(try BackgroundCachectl.eventually { try s.subscribers(channel) == 1 }, "watch never subscribed: \(watch.stderr)")
        return watch
    }

    /// The two events of the issue: invalidate's on cache:invalidate and session revoke's
    /// on sessions:invalidate, as NDJSON with the payloads embedded as JSON.
    func testPrintsTheEventsInvalidateAndSessionRevokePublish() throws {
        let s = try RedisServer.start()
        defer { s.stop() }
        try s.cli(["mset", "dash:a", "1", "dash:b", "2", "session:s1", "x", "session:s2", "y"])
        try s.cli(["sadd", "session:user:7", "s1", "s2"])
        let watch = try started(s, ["--count", "2", "--json"])
        let invalidate = try Cachectl.run(["-p", "\(s.port)", "invalidate", "dash:*", "--yes", "--publish", "cache:invalidate"])
        XCTAssertEqual(invalidate.exitCode, 0, invalidate.stderr)
        let revoke = try Cachectl.run(["-p", "\(s.port)", "session", "revoke", "--user", "7", "--yes"])
        XCTAssertEqual(revoke.exitCode, 0, revoke.stderr)
        XCTAssertEqual(watch.wait(), 0, watch.stderr)
        let events = try lines(watch.stdout).map(object)
        XCTAssertEqual(events.count, 2, watch.stdout)
        XCTAssertEqual(events[0]["channel"] as? String, "cache:invalidate")
        XCTAssertEqual(events[0]["format"] as? String, "json")
        let first = try XCTUnwrap(events[0]["payload"] as? [String: Any])
        XCTAssertEqual(first["type"] as? String, "pattern")
        XCTAssertEqual(first["patterns"] as? [String], ["dash:*"])
        XCTAssertEqual(first["deleted"] as? Int, 2)
        XCTAssertEqual(events[1]["channel"] as? String, "sessions:invalidate")
        let second = try XCTUnwrap(events[1]["payload"] as? [String: Any])
        XCTAssertEqual(second["type"] as? String, "user")
        XCTAssertEqual(second["userId"] as? Int, 7)
        XCTAssertTrue((events[0]["time"] as? String)?.hasSuffix("Z") ?? false)
    }

    /// Killing the server and starting it again on the same port: watch says so on stderr,
    /// reconnects and prints what is published afterwards.
    func testResumesWhenTheServerIsKilledAndRestarted() throws {
        var s = try RedisServer.start()
        let port = s.port
        defer { s.stop() }
        let watch = try started(s, ["--count", "2", "--json", "--timeout", "1s"])
        try s.cli(["publish", "cache:invalidate", "{\"keys\":[\"before\"]}"])
        XCTAssertTrue(BackgroundCachectl.eventually { watch.stdout.contains("before") }, watch.stdout)
        s.stop()
        XCTAssertTrue(BackgroundCachectl.eventually { watch.stderr.contains("lost the subscription") }, watch.stderr)
        usleep(300_000)
        s = try RedisServer.start(port: port)
        XCTAssertTrue(try BackgroundCachectl.eventually(timeout: 15) { try s.subscribers("cache:invalidate") == 1 }, watch.stderr)
        try s.cli(["publish", "cache:invalidate", "{\"keys\":[\"after\"]}"])
        XCTAssertEqual(watch.wait(), 0, watch.stderr)
        let payloads = try lines(watch.stdout).map { try object($0)["payload"] as? [String: Any] }
        XCTAssertEqual(payloads.map { $0?["keys"] as? [String] }, [["before"], ["after"]])
        XCTAssertTrue(watch.stderr.contains("reconnecting in"), watch.stderr)
        XCTAssertTrue(watch.stderr.contains("reconnected: watching again on 127.0.0.1:\(port)"), watch.stderr)
    }

    /// Silence several times longer than --timeout is normal for a subscription.
    func testSilenceLongerThanTheTimeoutIsNotAFailure() throws {
        let s = try RedisServer.start()
        defer { s.stop() }
        let r = try Cachectl.run(["-p", "\(s.port)", "watch", "--for", "1500ms", "--timeout", "200ms"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertFalse(r.stderr.contains("lost"), r.stderr)
        XCTAssertGreaterThanOrEqual(r.elapsed, 1.4)
    }

    func testCtrlCExits130AndSIGTERM143() throws {
        let s = try RedisServer.start()
        defer { s.stop() }
        let watch = try started(s, [])
        watch.process.interrupt()
        XCTAssertEqual(watch.wait(), 130, watch.stderr)
        let terminated = try started(s, ["--json"])
        terminated.process.terminate()
        XCTAssertEqual(terminated.wait(), 143, terminated.stderr)
    }

    func testPatternsTextAndBinaryPayloads() throws {
        let s = try RedisServer.start()
        defer { s.stop() }
        let json = try BackgroundCachectl(["-p", "\(s.port)", "watch", "--pattern", "app:*", "--count", "2", "--json"])
        let text = try BackgroundCachectl(["-p", "\(s.port)", "watch", "--pattern", "app:*", "--count", "2"])
        // NUMPAT counts distinct patterns; CLIENT LIST shows each pattern subscriber.
        XCTAssertTrue(try BackgroundCachectl.eventually {
            try s.cli(["CLIENT", "LIST"]).split(separator: "\n").filter { $0.contains(" psub=1 ") }.count == 2
        }, json.stderr + text.stderr)
        try s.cli(["publish", "app:one", "plain words"])
        // A payload that is not UTF-8, through redis-cli's -x (stdin as the last argument).
        try s.cli(["-x", "publish", "app:two"], stdin: Data([0xFF, 0x00, 0x01]))
        XCTAssertEqual(json.wait(), 0, json.stderr)
        XCTAssertEqual(text.wait(), 0, text.stderr)
        let events = try lines(json.stdout).map(object)
        XCTAssertEqual(events.count, 2, json.stdout)
        XCTAssertEqual(events[0]["pattern"] as? String, "app:*")
        XCTAssertEqual(events[0]["channel"] as? String, "app:one")
        XCTAssertEqual(events[0]["format"] as? String, "text")
        XCTAssertEqual(events[0]["payload"] as? String, "plain words")
        XCTAssertEqual(events[1]["format"] as? String, "binary")
        XCTAssertEqual(events[1]["payloadBase64"] as? String, Data([0xFF, 0x00, 0x01]).base64EncodedString())
        let shown = lines(text.stdout)
        XCTAssertTrue(shown[0].hasSuffix("  app:one (app:*)  plain words"), shown[0])
        XCTAssertTrue(shown[1].hasSuffix("  \"\\xff\\x00\\x01\""), shown[1])
    }

    func testRESP3PushMessages() throws {
        let s = try RedisServer.start()
        defer { s.stop() }
        let watch = try started(s, ["--resp3", "--count", "1", "--json"])
        try s.cli(["publish", "cache:invalidate", "{\"keys\": [\"k\"],\n \"n\": 1.50}"])
        XCTAssertEqual(watch.wait(), 0, watch.stderr)
        XCTAssertTrue(watch.stdout.hasSuffix(",\"format\":\"json\",\"payload\":{\"keys\":[\"k\"],\"n\":1.50}}\n"), watch.stdout)
    }

    /// Which payloads count as JSON: exactly the RFC 8259 texts, embedded as written.
    func testPayloadFormats() throws {
        let s = try RedisServer.start()
        defer { s.stop() }
        let cases: [(String, String, String)] = [
            ("{\"a\":[1,-2.5e3,true,null,\"\\u00e9\\n\"]}", "json", "{\"a\":[1,-2.5e3,true,null,\"\\u00e9\\n\"]}"),
            ("\"quoted\"", "json", "\"quoted\""),
            ("42", "json", "42"),
            ("{\"a\":1", "text", "\"{\\\"a\\\":1\""),
            ("[1,]", "text", "\"[1,]\""),
            ("01", "text", "\"01\""),
            ("", "text", "\"\""),
        ]
        let watch = try started(s, ["--count", "\(cases.count)", "--json"])
        for (payload, _, _) in cases { try s.cli(["publish", "cache:invalidate", payload]) }
        XCTAssertEqual(watch.wait(), 0, watch.stderr)
        let got = lines(watch.stdout)
        XCTAssertEqual(got.count, cases.count, watch.stdout)
        for (line, (payload, format, embedded)) in zip(got, cases) {
            XCTAssertTrue(line.hasSuffix(",\"format\":\"\(format)\",\"payload\":\(embedded)}"), "\(payload) → \(line)")
        }
    }

    func testUsageAndUnreachableServer() throws {
        XCTAssertEqual(try Cachectl.run(["watch", "--count", "0"]).exitCode, 64)
        XCTAssertEqual(try Cachectl.run(["watch", "--for", "0s"]).exitCode, 64)
        let down = try Cachectl.run(["-p", "\(try freePort())", "watch"])
        XCTAssertEqual(down.exitCode, 69, down.stderr)
    }
}

/// On a cluster of its own: `watch` subscribes on one node, receives a PUBLISH made on
/// another, and when its node is killed moves to a node it learnt from the slot map.
final class ClusterWatchEndToEndTests: XCTestCase {
    func testFailsOverToAnotherNodeWhenItsNodeIsKilled() throws {
        let cluster = try ClusterFixture.start()
        defer { for node in cluster.nodes { node.stop() } }
        let (first, second, third) = (cluster.nodes[0], cluster.nodes[1], cluster.nodes[2])
        let watch = try BackgroundCachectl(["-p", "\(first.port)", "watch", "--count", "2", "--json", "--timeout", "1s"])
        XCTAssertTrue(try BackgroundCachectl.eventually { try first.subscribers("cache:invalidate") == 1 }, watch.stderr)
        try third.cli(["publish", "cache:invalidate", "{\"n\":1}"])
        XCTAssertTrue(BackgroundCachectl.eventually { watch.stdout.contains("{\"n\":1}") }, watch.stdout + watch.stderr)
        first.stop()
        XCTAssertTrue(try BackgroundCachectl.eventually(timeout: 15) {
            try second.subscribers("cache:invalidate") + third.subscribers("cache:invalidate") == 1
        }, watch.stderr)
        try second.cli(["publish", "cache:invalidate", "{\"n\":2}"])
        XCTAssertEqual(watch.wait(), 0, watch.stderr)
        XCTAssertTrue(watch.stdout.contains("{\"n\":2}"), watch.stdout)
        XCTAssertTrue(watch.stderr.contains("lost the subscription on 127.0.0.1:\(first.port)"), watch.stderr)
        XCTAssertTrue(watch.stderr.contains("reconnected: watching again on 127.0.0.1:"), watch.stderr)
    }
}

/// The subscription reads through the TLS transport as through a plain socket.
final class TLSWatchEndToEndTests: XCTestCase {
    func testWatchOverTLS() throws {
        let f = try TLSFixture.shared.get()
        let conn = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: "localhost", port: f.good.port),
                                                                tls: TLSOptions(caCertificateFile: f.caFile)))
        let channel = "tlswatch:\(UUID().uuidString)"
        let watch = try BackgroundCachectl(["--tls", "--cacert", f.caFile, "-h", "localhost", "-p", "\(f.good.port)",
                                            "watch", channel, "--count", "1", "--json", "--timeout", "300ms"])
        XCTAssertTrue(try BackgroundCachectl.eventually {
            try conn.command([Array("PUBSUB".utf8), Array("NUMSUB".utf8), Array(channel.utf8)]).elements?.last?.int == 1
        }, watch.stderr)
        usleep(700_000)  // past a PING or two
        try conn.command([Array("PUBLISH".utf8), Array(channel.utf8), Array("{\"over\":\"tls\"}".utf8)])
        XCTAssertEqual(watch.wait(), 0, watch.stderr)
        XCTAssertTrue(watch.stdout.contains("\"payload\":{\"over\":\"tls\"}"), watch.stdout)
        XCTAssertEqual(watch.stderr, "cachectl: watching channels \(channel) on localhost:\(f.good.port)\n")
    }
}
