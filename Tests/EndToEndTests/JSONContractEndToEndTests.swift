import XCTest
import Foundation
import CLI
import TestSupport

/// The `--json` contract (README, "Output and exit codes"): every command prints exactly one
/// document (NDJSON: one per line) on success and on every failure it can report, and a
/// failure's document has `error` and `exitCode`, the process's own exit status.
final class JSONContractEndToEndTests: XCTestCase {
    static let db = "11"

    /// One successful invocation of every command that prints JSON, and the commands
    /// that refuse `--json`. A new command fails here until it is given a row.
    private func successCases(port: Int) -> [CommandID: String] {
        [
            .health: "health", .keysList: "keys list 'j:*'", .keysStats: "keys stats", .keysAudit: "keys audit",
            .keysShow: "keys show j:1", .keysExpire: "keys expire 'j:*' --ttl 1h --yes", .invalidate: "invalidate 'j:x*' --yes",
            .cacheGet: "cache get j:1", .cacheSet: "cache set j:2 v --ttl 1m", .cacheFetch: "cache fetch j:3 --ttl 1m -- echo hi",
            .lockAcquire: "lock acquire jl --ttl 10s", .lockRelease: "lock release jl --owner nobody",
            .lockExtend: "lock extend jl --owner nobody --ttl 10s", .lockStatus: "lock status jl",
            .ratelimitCheck: "ratelimit check j:r --limit 5 --window 1m", .ratelimitStatus: "ratelimit status --ip 10.0.0.1",
            .ratelimitReset: "ratelimit reset j:r --yes",
            .watch: "watch j:chan --count 1 & sleep 0.5; redis-cli -p \(port) -n \(Self.db) publish j:chan hi >/dev/null; wait",
            .sessionList: "session list --user u1", .sessionRevoke: "session revoke --user u1 --yes",
            .bench: "bench -t ping --requests 200 --clients 2", .acl: "acl health",
        ]
    }

    /// `bench` gets a database of its own: it refuses one that holds other keys.
    private func run(_ port: Int, _ command: String) throws -> ShellScript.Result {
        let db = command.hasPrefix("bench") ? "15" : Self.db
        return try ShellScript.run("c() { \"$CACHECTL\" -p \(port) -n \(db) \"$@\"; }\nc \(command.withJSONFlag()) </dev/null")
    }

    private func documents(_ r: ShellScript.Result, _ what: String, file: StaticString = #filePath,
                           line: UInt = #line) -> [[String: Any]] {
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertFalse(lines.isEmpty, "\(what): no document (exit \(r.status), stderr \(r.stderr))", file: file, line: line)
        return lines.compactMap { text in
            let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            XCTAssertNotNil(object, "\(what): not a JSON object: \(text)", file: file, line: line)
            return object
        }
    }

    private func assertFailureDocument(_ r: ShellScript.Result, _ what: String, status: Int32? = nil,
                                       file: StaticString = #filePath, line: UInt = #line) {
        if let status { XCTAssertEqual(r.status, status, "\(what): \(r.stderr)", file: file, line: line) }
        XCTAssertNotEqual(r.status, 0, what, file: file, line: line)
        guard let last = documents(r, what, file: file, line: line).last else { return }
        XCTAssertNotNil(last["error"] as? String, "\(what): \(last)", file: file, line: line)
        XCTAssertEqual(last["exitCode"] as? Int, Int(r.status), "\(what): \(last)", file: file, line: line)
        XCTAssertTrue(r.stderr.contains("cachectl: error: "), "\(what): the error is on stderr too: \(r.stderr)", file: file, line: line)
    }

    func testEveryCommandPrintsOneDocumentOnSuccessAndOnFailure() throws {
        let s = try RedisServer.start()
        defer { s.stop() }
        try s.cli(["-n", Self.db, "SET", "j:1", "v"])
        let down = try freePort()
        let cases = successCases(port: s.port)
        for id in CommandID.allCases {
            guard id.printsJSON else { continue }
            guard let command = cases[id] else {
                XCTFail("\(id): no --json case in this table")
                continue
            }
            let ok = try run(s.port, command)
            let docs = documents(ok, "\(id) success")
            XCTAssertTrue(docs.allSatisfy { $0["error"] == nil || $0["error"] is NSNull }, "\(id): \(ok.stdout)")
            if ![.keysList, .keysAudit, .watch].contains(id) {
                XCTAssertEqual(docs.count, 1, "\(id): one document: \(ok.stdout)")
            }
            // A usage error once the command is known.
            let words = id.rawValue.contains(where: \.isUppercase) ? 2 : 1
            let usage = command.split(separator: " ").prefix(words).joined(separator: " ") + " --no-such-option"
            assertFailureDocument(try run(s.port, usage), "\(id) usage", status: 64)
            // The server is down (acl never connects).
            if id != .acl {
                // Without the publisher: `wait`'s status is not the command's.
                let alone = command.components(separatedBy: " & ")[0]
                assertFailureDocument(try run(down, alone), "\(id) server down", status: 69)
            }
        }
    }

    func testCommandsWithoutJSONRefuseItWithADocument() throws {
        for command in ["completion bash", "man", "lock run job -- true"] {
            let r = try run(1, command)
            assertFailureDocument(r, command, status: 64)
            XCTAssertTrue(r.stderr.contains("prints no JSON"), r.stderr)
        }
    }

    /// Refusals that used to print nothing: no confirmation without a terminal, and a
    /// pattern that matches everything without `--force`.
    func testRefusalsPrintTheirDocument() throws {
        let s = try RedisServer.shared.get()
        for command in ["invalidate 'j:*'", "invalidate '*' --yes", "keys expire 'j:*' --ttl 1h", "session revoke --user u1"] {
            assertFailureDocument(try run(s.port, command), command, status: 64)
        }
        // A usage error before any command word is known still honours --json.
        assertFailureDocument(try ShellScript.run("\"$CACHECTL\" --json --no-such-option"), "global usage", status: 64)
    }
    /// A restricted user: `keys show` streams one line per key, so a refusal on a later
    /// key is one more line; a refused PUBLISH keeps its ACL advice, in the summary too.
    func testRefusalsOfARestrictedUserAreDocumented() throws {
        let s = try RedisServer.start()
        defer { s.stop() }
        try s.setUser("r", rules: ["on", ">r-pw", "~app:*", "resetchannels", "&allowed", "+@all", "-@dangerous"])
        try s.cli(["SET", "app:k1", "v"])
        try s.cli(["SET", "other:k1", "v"])
        let env = "REDIS_URL=redis://r:r-pw@127.0.0.1:\(s.port)"
        let show = try ShellScript.run("\(env) \"$CACHECTL\" keys show app:k1 other:k1 --json")
        XCTAssertEqual(show.status, 77, show.stderr)
        let lines = documents(show, "keys show")
        XCTAssertEqual(lines.count, 2, show.stdout)
        XCTAssertEqual(lines.first?["key"] as? String, "app:k1")
        assertFailureDocument(show, "keys show", status: 77)

        let publish = try ShellScript.run("\(env) \"$CACHECTL\" invalidate 'app:*' --yes --publish chan --json")
        XCTAssertEqual(publish.status, 77, publish.stderr)
        XCTAssertTrue(publish.stderr.contains("the ACL user needs &chan"), publish.stderr)
        let summary = try XCTUnwrap(documents(publish, "invalidate --publish").last)
        XCTAssertEqual(summary["deleted"] as? Int, 1, "the keys are gone before the event: \(summary)")
        let error = try XCTUnwrap(summary["error"] as? String)
        XCTAssertTrue(publish.stderr.contains("cachectl: error: \(error)\n"), "one text in JSON and on stderr: \(publish.stderr)")
        XCTAssertEqual(summary["exitCode"] as? Int, 77)
    }

    /// Exit 74 that is not stdout's (an unreadable key list) still prints its document.
    func testALocalReadFailurePrintsItsDocument() throws {
        let s = try RedisServer.shared.get()
        let r = try run(s.port, "invalidate --keys-from /nonexistent/keys --yes")
        assertFailureDocument(r, "unreadable --keys-from", status: 74)
    }
}

private extension String {
    /// `--json` after the command's own words: before a `--` (whose words belong to the
    /// command run), or before a ` & ` that sends the command to the background.
    func withJSONFlag() -> String {
        if let dashes = range(of: " -- ") { return self[..<dashes.lowerBound] + " --json" + self[dashes.lowerBound...] }
        if let amp = range(of: " & ") { return self[..<amp.lowerBound] + " --json" + self[amp.lowerBound...] }
        return self + " --json"
    }
}
