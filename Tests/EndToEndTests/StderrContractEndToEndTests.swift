import XCTest
import Foundation
import TestSupport

/// One stderr rule in every output mode: each breach, warning and error is one line on
/// stderr (`cachectl: breach: …`, `cachectl: warning: …`, `cachectl: error: …`), whatever
/// stdout carries; `-q` silences warnings, never breaches or errors. And errors that name
/// the server and the fix.
final class StderrContractEndToEndTests: XCTestCase {
    /// A replica whose primary is gone: before, `--json` and `--prometheus` printed no
    /// breach on stderr (a cron mail showed exit 1 and no reason), and `--watch` only
    /// `UNHEALTHY(replication)`.
    func testABreachIsOnStderrInEveryFormat() throws {
        let nobody = try freePort()
        let replica = try RedisServer.start(extraArguments: ["--replicaof", "127.0.0.1", "\(nobody)"])
        defer { replica.stop() }
        let breach = "cachectl: breach: replication: the link to primary 127.0.0.1:\(nobody) is down"
        for flags in [[], ["--json"], ["--prometheus"], ["--watch", "100ms", "--count", "2"], ["--watch", "100ms", "--count", "2", "--json"],
                      ["--json", "-q"], ["--watch", "100ms", "--count", "2", "-q"]] {
            let r = try Cachectl.run(["-p", "\(replica.port)", "health"] + flags)
            XCTAssertEqual(r.exitCode, 1, "\(flags): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(breach), "\(flags): \(r.stderr)")
            // The warning that maxmemory is unset: the same in every mode, silenced by -q.
            XCTAssertEqual(r.stderr.contains("cachectl: warning: maxmemory is not set"), !flags.contains("-q"), "\(flags): \(r.stderr)")
            // --watch says a line that repeats word for word once, not every sample.
            let lines = r.stderr.split(separator: "\n")
            XCTAssertEqual(lines.count, Set(lines).count, "\(flags): \(r.stderr)")
            for line in lines {
                XCTAssertTrue(line.hasPrefix("cachectl: breach: ") || line.hasPrefix("cachectl: warning: "), "\(flags): \(line)")
            }
        }
    }

    /// The breach object names its node like the document does (it said `"node":null`),
    /// and `--watch` samples carry the time as every timestamp does.
    func testJSONFactsNameTheirNodeAndTime() throws {
        let nobody = try freePort()
        let replica = try RedisServer.start(extraArguments: ["--replicaof", "127.0.0.1", "\(nobody)"])
        defer { replica.stop() }
        let r = try Cachectl.run(["-p", "\(replica.port)", "health", "--json"])
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdoutBytes) as? [String: Any], r.stdout)
        let node = try XCTUnwrap(doc["node"] as? String)
        for finding in (doc["breaches"] as? [[String: Any]] ?? []) + (doc["warnings"] as? [[String: Any]] ?? []) {
            XCTAssertEqual(finding["node"] as? String, node, "\(finding)")
        }
        let w = try Cachectl.run(["-p", "\(replica.port)", "health", "--json", "--watch", "100ms", "--count", "1"])
        let sample = try XCTUnwrap(try JSONSerialization.jsonObject(with: w.stdoutBytes) as? [String: Any], w.stdout)
        let time = try XCTUnwrap(sample["time"] as? String)
        XCTAssertNotNil(time.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression), time)
        let ms = try XCTUnwrap(sample["timeMs"] as? Int)
        XCTAssertLessThan(abs(Double(ms) / 1000 - Date().timeIntervalSince1970), 60)
        XCTAssertNil(sample["timestamp"])
    }

    /// NOAUTH and WRONGPASS said neither where nor who nor what to change.
    func testRefusedLoginsNameTheServerUserAndPasswordSource() throws {
        let s = try RedisServer.withPassword.get()
        let endpoint = "127.0.0.1:\(s.port)"
        let noPassword = try Cachectl.run(["-p", "\(s.port)", "health"])
        XCTAssertEqual(noPassword.exitCode, 77, noPassword.stderr)
        XCTAssertTrue(noPassword.stderr.contains("\(endpoint) wants a password for user 'default' and none was given (NOAUTH"),
                      noPassword.stderr)
        XCTAssertTrue(noPassword.stderr.contains("REDISCLI_AUTH or REDIS_PASSWORD"), noPassword.stderr)

        let secret = "not-the-Pa55word"
        for (environment, source) in [(["REDIS_PASSWORD": secret], "REDIS_PASSWORD"), (["REDISCLI_AUTH": secret], "REDISCLI_AUTH"),
                                      (["REDIS_URL": "redis://ops:\(secret)@127.0.0.1:\(s.port)"], "REDIS_URL")] {
            for flags in [[], ["--json"]] {
                // A -p would move away from REDIS_URL's server, and its password stays behind.
                let server = source == "REDIS_URL" ? [] : ["-p", "\(s.port)"]
                let r = try Cachectl.run(server + ["cache", "get", "k"] + flags, environment: environment)
                XCTAssertEqual(r.exitCode, 77, r.stderr)
                let user = source == "REDIS_URL" ? "ops" : "default"
                XCTAssertTrue(r.stderr.contains("\(endpoint) refused user '\(user)' with the password from \(source) (WRONGPASS"), r.stderr)
                XCTAssertFalse(r.stderr.contains(secret) || r.stdout.contains(secret), r.stderr + r.stdout)
            }
        }
    }

    /// A server at maxclients answers the first command and closes: its words are the
    /// message, not "closed by peer".
    func testAServerAtMaxclientsIsQuoted() throws {
        let s = try RedisServer.start(extraArguments: ["--maxclients", "1"])
        defer { s.stop() }
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: try XCTUnwrap(findExecutable("redis-cli")))
        holder.arguments = ["-p", "\(s.port)", "BLPOP", "nothing", "10"]
        holder.standardOutput = FileHandle.nullDevice
        try holder.run()
        defer { holder.terminate(); holder.waitUntilExit() }
        // The held connection is the one client allowed.
        let deadline = Date().addingTimeInterval(5)
        var r = try Cachectl.run(["-p", "\(s.port)", "health"])
        while Date() < deadline, r.exitCode == 0 {
            usleep(50_000)
            r = try Cachectl.run(["-p", "\(s.port)", "health"])
        }
        // Whichever handshake command the refusal answers: AUTH, SELECT, HELLO or CLIENT SETNAME.
        for (command, environment) in [(["health"], [:]), (["cache", "get", "k"], [:]), (["keys", "list", "--json"], [:]),
                                       (["-n", "1", "cache", "get", "k"], [:]), (["--resp3", "health"], [:]),
                                       (["cache", "get", "k"], ["REDISCLI_AUTH": "x"])] {
            let r = try Cachectl.run(["-p", "\(s.port)"] + command, environment: environment)
            XCTAssertEqual(r.exitCode, 69, "\(command): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("127.0.0.1:\(s.port) lost: the server answered 'ERR max number of clients reached'"),
                          "\(command): \(r.stderr)")
        }
    }

    /// A notice says the same under --json as in text (it was text-only for session list).
    func testNoticesAreTheSameInEveryMode() throws {
        let s = try RedisServer.shared.get()
        let text = try Cachectl.run(["-p", "\(s.port)", "session", "list", "--user", "nobody-\(getpid())"])
        let json = try Cachectl.run(["-p", "\(s.port)", "session", "list", "--user", "nobody-\(getpid())", "--json"])
        XCTAssertTrue(text.stderr.contains("no sessions for user"), text.stderr)
        XCTAssertEqual(json.stderr, text.stderr)
    }

    /// An interrupted `--interval` judged nothing: it says so, in JSON too (it printed nothing).
    func testAnInterruptedIntervalSaysSo() throws {
        let s = try RedisServer.shared.get()
        let r = try ShellScript.run("""
            "$CACHECTL" -p \(s.port) health --json --interval 5s & pid=$!
            sleep 0.7; kill -TERM $pid; wait $pid; echo "exit $?" >&2
            """)
        XCTAssertTrue(r.stderr.hasSuffix("exit 143\n"), r.stderr)
        XCTAssertTrue(r.stderr.contains("cachectl: error: interrupted during --interval"), r.stderr)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
        XCTAssertEqual(doc["exitCode"] as? Int, 143)
    }

    /// A server that is down under `--watch --json`: each sample is a failure document with
    /// the exit code, and stderr says the error once, not every interval.
    func testWatchSamplesOfAServerThatIsDown() throws {
        let down = try freePort()
        let r = try Cachectl.run(["-p", "\(down)", "health", "--watch", "100ms", "--count", "3", "--json"])
        XCTAssertEqual(r.exitCode, 69, r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 3, r.stdout)
        for line in lines {
            let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
            XCTAssertEqual(doc["exitCode"] as? Int, 69)
            XCTAssertNotNil(doc["error"] as? String)
            XCTAssertNotNil(doc["timeMs"] as? Int)
        }
        XCTAssertEqual(r.stderr, "cachectl: error: connection refused by 127.0.0.1:\(down): is redis-server running there?\n")
    }
}
