import XCTest
import Foundation
import CLI
import TestSupport

/// Issue 20: every command that talks to Redis runs, in each of its modes, as the user that
/// `cachectl acl <command>` prints for it, on a real server. A run passes when it exits as
/// documented, says nothing of a refusal (NOPERM, noPermission, "not permitted", an optional
/// command shown as unavailable: the line grants optional commands too) and leaves no entry
/// in the server's ACL LOG, which also catches the refusals cachectl absorbs without a word
/// (a fallback after COMMAND INFO or CONFIG GET).
///
/// The table is walked from `CommandID.allCases`: a command without a row, a row with no run
/// of its command, or an option of its command that no run gives fails the test.
final class AclEveryCommandEndToEndTests: XCTestCase {
    /// One server for every row: maxmemory set (the default policy, noeviction, stays) so that
    /// `health --strict` can make every check and exits 0 only when nothing was refused.
    static let server: Result<RedisServer, Error> = Result {
        try RedisServer.start(extraArguments: ["--maxmemory", "64mb"])
    }

    /// Commands that never connect.
    static let offline: Set<CommandID> = [.acl, .completion, .man]

    /// Where each command sits in the table (`[lock, acquire]`): its top-level name is what
    /// `cachectl acl` takes.
    static let commands: [CommandID: (path: [String], spec: CommandSpec)] = {
        var out: [CommandID: (path: [String], spec: CommandSpec)] = [:]
        for entry in ProgramTable.spec.allCommands {
            if let id = entry.command.id, out[id] == nil { out[id] = (entry.path, entry.command) }
        }
        return out
    }()

    struct Row {
        var id: CommandID
        /// --prefix for the acl line and every run; nil: the command's own namespaces
        /// (lock:*, session:*, bench:*).
        var prefix: String? = "app:"
        /// `acl --publish CHANNEL`, for runs that publish on a channel of their own.
        var publish: String? = nil
        /// `-n N` for the acl line (which then grants SELECT) and every run.
        var database = 0
        var body: (AclUser) throws -> Void
    }

    // MARK: The tests

    func testEveryCommandRunsAsTheUserItsAclLineMakes() throws {
        let s = try Self.server.get()
        let started = Date()
        let rows = Self.rows()
        for id in CommandID.allCases where !Self.offline.contains(id) {
            XCTAssertTrue(rows.contains { $0.id == id }, "\(id) talks to Redis and has no row: add one")
            XCTAssertNotNil(Self.commands[id], "\(id) is in no command of ProgramTable")
        }
        var runs: [CommandID: Int] = [:]
        var given: [CommandID: Set<String>] = [:]
        for row in rows {
            try s.cli(["FLUSHALL"])
            try s.cli(["ACL", "LOG", "RESET"])
            let user = try AclUser(server: s, row: row)
            try row.body(user)
            for problem in user.problems { XCTFail(problem) }
            runs[row.id, default: 0] += user.runs
            given[row.id, default: []].formUnion(user.optionsGiven)
            try s.cli(["ACL", "DELUSER", user.name])
        }
        for id in CommandID.allCases where !Self.offline.contains(id) {
            guard let command = Self.commands[id] else { continue }
            XCTAssertGreaterThan(runs[id] ?? 0, 0, "\(id): no run of '\(command.path.joined(separator: " "))'")
            let declared = Set(command.spec.options.filter { !$0.isGlobal }.map(\.long))
            let missing = declared.subtracting(given[id] ?? [])
            XCTAssertEqual(missing, [], "\(id): no run gives these options; add a run that does")
        }
        let elapsed = Date().timeIntervalSince(started)
        let counts = CommandID.allCases.compactMap { id in runs[id].map { "\(id.rawValue) \($0)" } }
        print("AclEveryCommand: \(runs.values.reduce(0, +)) runs in \(String(format: "%.1f", elapsed))s: "
              + counts.joined(separator: ", "))
    }

    /// The checks can fail: a line without a core command makes the run exit 77, and one
    /// without an optional command shows up as a warning; each leaves an ACL LOG entry.
    func testALineMissingACommandFailsTheRun() throws {
        let s = try Self.server.get()
        try s.cli(["FLUSHALL"])
        try s.cli(["ACL", "LOG", "RESET"])

        let invalidate = try AclUser(server: s, row: Row(id: .invalidate) { _ in }, name: "acl-neg-invalidate")
        try s.setUser(invalidate.name, rules: ["-unlink", "-del"])
        try s.cli(["SET", "app:p:1", "v"])
        let deleted = try invalidate.run(["invalidate", "p:*", "--yes"], exit: 77)
        XCTAssertTrue(deleted.stderr.contains("the ACL user needs +unlink (or +del)"), deleted.stderr)
        XCTAssertTrue(invalidate.problems.contains { $0.contains("NOPERM") }, "\(invalidate.problems)")
        XCTAssertTrue(invalidate.problems.contains { $0.contains("ACL LOG") }, "\(invalidate.problems)")
        XCTAssertEqual(try s.cli(["EXISTS", "app:p:1"]), "1")

        let lock = try AclUser(server: s, row: Row(id: .lockAcquire) { _ in }, name: "acl-neg-lock")
        try s.setUser(lock.name, rules: ["-incr"])
        let acquired = try lock.run(["lock", "acquire", "fenced"], exit: 77)
        XCTAssertTrue(acquired.stderr.contains("+incr"), acquired.stderr)
        XCTAssertTrue(lock.problems.contains { $0.contains("ACL LOG") }, "\(lock.problems)")

        let keys = try AclUser(server: s, row: Row(id: .keysList) { _ in }, name: "acl-neg-keys")
        // Redis 6.2 cannot take one subcommand away: the whole MEMORY command then.
        try s.setUser(keys.name, rules: [RedisServer.isAtLeastRedis(7, 0) ? "-memory|usage" : "-memory"])
        try s.cli(["SET", "app:sized", "v", "EX", "600"])
        let sized = try keys.run(["keys", "list", "--size"])
        XCTAssertEqual(sized.exitCode, 0, sized.stderr)
        XCTAssertTrue(keys.problems.contains { $0.contains("unavailable (") }, "\(keys.problems)")
        XCTAssertTrue(keys.problems.contains { $0.contains("ACL LOG") }, "\(keys.problems)")
        for name in [invalidate.name, lock.name, keys.name] { try s.cli(["ACL", "DELUSER", name]) }
    }

    // MARK: The rows

    static func rows() -> [Row] {
        var rows: [Row] = [
            // Keyless: their lines have no key rule, --prefix or not. Once more on database 1,
            // where the line adds SELECT.
            Row(id: .health, body: health),
            Row(id: .health, database: 1, body: health),
            Row(id: .keysList, body: keysList),
            Row(id: .keysStats, body: keysStats),
            Row(id: .keysAudit, body: keysAudit),
            Row(id: .keysShow, body: keysShow),
            Row(id: .keysExpire, body: keysExpire),
            Row(id: .invalidate, publish: "app:events", body: invalidate),
            Row(id: .cacheGet, body: cacheGet),
            Row(id: .cacheSet, body: cacheSet),
            Row(id: .cacheFetch, body: cacheFetch),
            Row(id: .ratelimitCheck, body: ratelimitCheck),
            Row(id: .ratelimitStatus, body: ratelimitStatus),
            Row(id: .ratelimitReset, body: ratelimitReset),
            Row(id: .watch, body: watch),
        ]
        // Lock, session and bench keep their keys in namespaces of their own: each runs under
        // --prefix and again with the line's own namespaces (~lock:* ~fence:* ~semaphore:*);
        // release, extend and status touch no key that acquire and run do not.
        for prefix in ["app:", nil] as [String?] {
            rows += [
                Row(id: .lockAcquire, prefix: prefix, body: lockAcquire),
                Row(id: .lockRun, prefix: prefix, body: lockRun),
                Row(id: .sessionList, prefix: prefix, body: sessionList),
                Row(id: .sessionRevoke, prefix: prefix, publish: "app:events", body: sessionRevoke),
                Row(id: .bench, prefix: prefix, body: bench),
            ]
        }
        rows += [
            Row(id: .lockRelease, body: lockRelease),
            Row(id: .lockExtend, body: lockExtend),
            Row(id: .lockStatus, body: lockStatus),
        ]
        return rows
    }

    static func health(_ u: AclUser) throws {
        try u.run(["health"])
        try u.run(["health", "--samples", "3", "--json"])
        try u.run(["health", "--resp3"])
        // Every check made: nothing refused, maxmemory set.
        try u.run(["health", "--strict", "--min-replicas", "0", "--max-memory-pct", "90", "--min-hit-rate", "0",
                  "--max-lag", "30s", "--max-latency-ms", "5000"])
        try u.run(["health", "--max-latency-ms", "0"], exit: 1)
        try u.server.cli(["CONFIG", "SET", "slowlog-log-slower-than", "0"])
        defer { _ = try? u.server.cli(["CONFIG", "SET", "slowlog-log-slower-than", "10000"]) }
        try u.server.cli(["SET", "slow", "1"])
        let slow = try u.run(["health", "--slowlog", "5"])
        XCTAssertTrue(slow.stdout.lowercased().contains("slow"), slow.stdout)
        try u.run(["health", "--interval", "100ms"])
        try u.run(["health", "--watch=50ms", "--count", "2", "--json"])
        let metrics = try u.run(["health", "--prometheus"])
        XCTAssertTrue(metrics.stdout.contains("cachectl_"), metrics.stdout)
    }

    /// One key of each type under the prefix, all with a TTL but `nottl`.
    static func seedEveryType(_ u: AclUser) throws {
        let s = u.server
        try s.cli(["SET", u.key("str"), "{\"a\":1}", "EX", "600"])
        try s.cli(["HSET", u.key("hash"), "f", "v"])
        try s.cli(["RPUSH", u.key("list"), "a", "b"])
        try s.cli(["SADD", u.key("set"), "a", "b"])
        try s.cli(["ZADD", u.key("zset"), "1", "a"])
        try s.cli(["XADD", u.key("stream"), "*", "f", "v"])
        for k in ["hash", "list", "set", "zset", "stream"] { try s.cli(["EXPIRE", u.key(k), "600"]) }
        try s.cli(["SET", u.key("nottl"), "v"])
    }

    static func keysList(_ u: AclUser) throws {
        try seedEveryType(u)
        let all = try u.run(["keys", "list"])
        XCTAssertEqual(all.stdout.split(separator: "\n").count, 7, all.stdout)
        try u.run(["keys", "list", "*", "--ttl", "--size"])
        try u.run(["keys", "list", "--json", "--ttl", "--size", "--limit", "3", "--count", "2"])
        try u.run(["keys", "list", "--type", "hash"])
        try u.run(["keys", "list", "s*", "-0"])
    }

    static func keysStats(_ u: AclUser) throws {
        try seedEveryType(u)
        try u.run(["keys", "stats"])
        try u.run(["keys", "stats", "--sort", "memory", "--depth", "1", "--sample", "2", "--json"])
        try u.run(["keys", "stats", "s*", "--type", "string", "--count", "10", "--separator", ":", "--progress"])
        try u.run(["keys", "stats", "--no-progress"])
    }

    static func keysAudit(_ u: AclUser) throws {
        try seedEveryType(u)
        try u.run(["keys", "audit"], exit: 1)
        try u.run(["keys", "audit", "--allow", "nottl"])
        try u.run(["keys", "audit", "--namespace", "str*", "--max-ttl", "1s", "--max-size", "1", "--details", "--json"], exit: 1)
        try u.run(["keys", "audit", "--skip", "no-ttl", "--type", "string", "--count", "10", "--separator", ":"])
    }

    static func keysShow(_ u: AclUser) throws {
        try seedEveryType(u)
        let every = ["str", "hash", "list", "set", "zset", "stream", "nottl"]
        let shown = try u.run(["keys", "show"] + every)
        XCTAssertTrue(shown.stdout.contains("stream"), shown.stdout)
        try u.run(["keys", "show", "--json", "--bytes", "4", "--items", "1"] + every)
        try u.run(["keys", "show", "str", "missing"], exit: 1)
    }

    static func keysExpire(_ u: AclUser) throws {
        try seedEveryType(u)
        try u.run(["keys", "expire", "*", "--ttl", "1h", "--only-missing", "--dry-run", "--sample", "3"])
        try u.run(["keys", "expire", "nottl", "--ttl", "1h", "--only-missing", "--yes", "--max-latency-ms", "50", "--progress"])
        XCTAssertGreaterThan(Int(try u.server.cli(["PTTL", u.key("nottl")])) ?? 0, 3_000_000)
        try u.run(["keys", "expire", "*", "--ttl", "2h", "--yes", "--type", "hash", "--count", "10", "--limit", "5",
                  "--batch", "2", "--rate", "1000", "--no-progress"])
        try u.run(["keys", "expire", "*", "--ttl", "2h", "--yes", "--no-throttle"])
        XCTAssertGreaterThan(Int(try u.server.cli(["PTTL", u.key("str")])) ?? 0, 3_700_000)
    }

    static func invalidate(_ u: AclUser) throws {
        let s = u.server
        for i in 0..<5 { try s.cli(["SET", u.key("p:\(i)"), "v"]) }
        for k in ["k1", "k2", "f1", "f2", "z1", "t:1", "t:2", "sess:a", "sess:b", "h:1"] { try s.cli(["SET", u.key(k), "v"]) }
        try s.cli(["HSET", u.key("h:2"), "f", "v"])
        try s.cli(["SADD", u.key("tag:t1"), "t:1", "t:2"])
        try s.cli(["SADD", u.key("tag:u7"), "a", "b"])
        try u.run(["invalidate", "p:*", "--dry-run", "--sample", "2"])
        try u.run(["invalidate", "p:*", "--yes", "--json", "--max-latency-ms", "50", "--progress"])
        try u.run(["invalidate", "--key", "k1", "--dry-run"])
        try u.run(["invalidate", "--key", "k1", "--key", "k2", "--yes", "--publish", "app:events"])
        try u.run(["invalidate", "--keys-from", "-", "--yes"], stdin: Data("f1\nf2\n".utf8))
        try u.run(["invalidate", "--keys-from", "-", "-0", "--yes"], stdin: Data("z1\0".utf8))
        try u.run(["invalidate", "--tag", "t1", "--dry-run"])
        try u.run(["invalidate", "--tag", "t1", "--yes", "--publish", "app:events"])
        try u.run(["invalidate", "--tag", "u7", "--tag-key", "tag:{tag}", "--member-key", "sess:{member}", "--yes"])
        try u.run(["invalidate", "h:*", "--yes", "--type", "hash", "--limit", "10", "--count", "5", "--batch", "2",
                  "--rate", "1000", "--no-progress"])
        try u.run(["invalidate", "h:*", "p:*", "--yes", "--no-throttle", "--publish", "app:events"])
        try u.run(["invalidate", "*", "--yes", "--force"])
        XCTAssertEqual(try s.cli(["DBSIZE"]), "0", "every key went")
    }

    static func cacheGet(_ u: AclUser) throws {
        try u.server.cli(["SET", u.key("c1"), "hello", "EX", "600"])
        try u.server.cli(["HSET", u.key("wrong"), "f", "v"])
        XCTAssertEqual(try u.run(["cache", "get", "c1"]).stdout, "hello")
        try u.run(["cache", "get", "c1", "--json"])
        try u.run(["cache", "get", "missing"], exit: 1)
        try u.run(["cache", "get", "missing", "--json"], exit: 1)
        // WRONGTYPE: exit 2, and TYPE names the type.
        let wrong = try u.run(["cache", "get", "wrong"], exit: 2)
        XCTAssertTrue(wrong.stderr.contains("hash"), wrong.stderr)
    }

    static func cacheSet(_ u: AclUser) throws {
        try u.run(["cache", "set", "c1", "v", "--ttl", "1m"])
        try u.run(["cache", "set", "c2", "--ttl", "1m", "--json"], stdin: Data("from stdin".utf8))
        try u.run(["cache", "set", "c3", "v", "--no-ttl"])
        XCTAssertEqual(try u.server.cli(["GET", u.key("c2")]), "from stdin")
        XCTAssertEqual(try u.server.cli(["PTTL", u.key("c3")]), "-1")
    }

    static func cacheFetch(_ u: AclUser) throws {
        let s = u.server
        XCTAssertEqual(try u.run(["cache", "fetch", "f1", "--ttl", "1m", "--", "echo", "computed"]).stdout, "computed\n")
        XCTAssertEqual(try u.run(["cache", "fetch", "f1", "--ttl", "1m", "--", "false"]).stdout, "computed\n", "a hit")
        try u.run(["cache", "fetch", "f1", "--ttl", "1m", "--json", "--", "false"])
        // A failing command stores nothing and its exit code is the fetch's.
        try u.run(["cache", "fetch", "f2", "--ttl", "1m", "--", "false"], exit: 1)
        // Refresh ahead: 10s left, less than 30s.
        try s.cli(["SET", u.key("f3"), "old", "PX", "10000"])
        try u.run(["cache", "fetch", "f3", "--ttl", "1m", "--refresh-ahead=30s", "--", "echo", "new"])
        XCTAssertEqual(try s.cli(["GET", u.key("f3")]), "new")
        // The stale copy, stored and then served.
        try u.run(["cache", "fetch", "f4", "--ttl", "1m", "--stale-if-error=1h", "--", "echo", "first"])
        try s.cli(["DEL", u.key("f4")])
        XCTAssertEqual(try u.run(["cache", "fetch", "f4", "--ttl", "1m", "--stale-if-error", "--", "false"]).stdout, "first\n")
        // The stampede lock renewed while the command runs.
        try u.run(["cache", "fetch", "f5", "--ttl", "1m", "--lock-ttl", "300ms", "--", "sh", "-c", "sleep 0.35; echo slow"])
        // Another caller holds the stampede lock: wait, then time out.
        try s.cli(["SET", u.key("lock:cache:{\(u.key("f6"))}"), "someone", "PX", "30000"])
        try u.run(["cache", "fetch", "f6", "--ttl", "1m", "--wait", "100ms", "--", "echo", "x"], exit: 75)
        // Output beyond --max-size: stopped, nothing stored, lock released.
        try u.run(["cache", "fetch", "f7", "--ttl", "1m", "--max-size", "4", "--", "echo", "too long"], exit: 65)
        XCTAssertEqual(try s.cli(["EXISTS", u.key("f7"), u.key("lock:cache:{\(u.key("f7"))}")]), "0")
    }

    static func lockAcquire(_ u: AclUser) throws {
        let s = u.server
        try u.run(["lock", "acquire", "a", "--ttl", "30s"])
        try u.run(["lock", "acquire", "a"], exit: 1)
        try u.run(["lock", "acquire", "a", "--wait", "100ms"], exit: 1)
        try u.run(["lock", "acquire", "b", "--owner", "me:1"])
        XCTAssertEqual(try s.cli(["GET", u.key("lock:b")]), "me:1")
        XCTAssertEqual(try s.cli(["GET", u.key("fence:{\(u.key("lock:b"))}")]), "1")
        try s.cli(["SET", u.key("lock:c"), "someone", "PX", "200"])
        try u.run(["lock", "acquire", "c", "--wait", "3s"])
        // A semaphore: two leases, a third refused; then one waiting in the queue until a short
        // lease expires.
        try u.run(["lock", "acquire", "sem", "--holders", "2"])
        try u.run(["lock", "acquire", "sem", "--holders", "2"])
        try u.run(["lock", "acquire", "sem", "--holders", "2"], exit: 1)
        try u.run(["lock", "acquire", "queue", "--holders", "2", "--ttl", "200ms"])
        try u.run(["lock", "acquire", "queue", "--holders", "2", "--ttl", "200ms"])
        try u.run(["lock", "acquire", "queue", "--holders", "2", "--wait", "3s"])
    }

    static func lockRelease(_ u: AclUser) throws {
        let owner = try u.run(["lock", "acquire", "r"], setup: true).stdout.trimmingCharacters(in: .newlines)
        try u.run(["lock", "release", "r", "--owner", "nobody"], exit: 1)
        try u.run(["lock", "release", "r", "--owner", owner])
        try u.run(["lock", "release", "r", "--owner", owner], exit: 1)
        try u.server.cli(["SET", u.key("lock:stuck"), "someone", "PX", "30000"])
        try u.run(["lock", "release", "stuck", "--force", "--yes"])
        XCTAssertEqual(try u.server.cli(["EXISTS", u.key("lock:stuck")]), "0")
        let lease = try u.run(["lock", "acquire", "sem", "--holders", "2"], setup: true).stdout.trimmingCharacters(in: .newlines)
        try u.run(["lock", "release", "sem", "--holders", "2", "--owner", "nobody"], exit: 1)
        try u.run(["lock", "release", "sem", "--holders", "2", "--owner", lease])
        try u.run(["lock", "release", "sem", "--holders", "2", "--owner", lease], exit: 1)
    }

    static func lockExtend(_ u: AclUser) throws {
        let owner = try u.run(["lock", "acquire", "e"], setup: true).stdout.trimmingCharacters(in: .newlines)
        try u.run(["lock", "extend", "e", "--owner", owner, "--ttl", "1m"])
        XCTAssertGreaterThan(Int(try u.server.cli(["PTTL", u.key("lock:e")])) ?? 0, 50_000)
        try u.run(["lock", "extend", "e", "--owner", "nobody", "--ttl", "1m"], exit: 1)
        let lease = try u.run(["lock", "acquire", "sem", "--holders", "2"], setup: true).stdout.trimmingCharacters(in: .newlines)
        try u.run(["lock", "extend", "sem", "--holders", "2", "--owner", lease, "--ttl", "1m"])
        try u.run(["lock", "extend", "sem", "--holders", "2", "--owner", "nobody", "--ttl", "1m"], exit: 1)
    }

    static func lockStatus(_ u: AclUser) throws {
        try u.run(["lock", "status", "s"], exit: 1)
        try u.run(["lock", "acquire", "s"], setup: true)
        try u.run(["lock", "status", "s"])
        try u.run(["lock", "status", "s", "--json"])
        try u.run(["lock", "status", "sem", "--holders", "2"], exit: 1)
        try u.run(["lock", "acquire", "sem", "--holders", "2"], setup: true)
        try u.run(["lock", "status", "sem", "--holders", "2"], exit: 1)
        try u.run(["lock", "acquire", "sem", "--holders", "2"], setup: true)
        try u.run(["lock", "status", "sem", "--holders", "2", "--json"])
    }

    static func lockRun(_ u: AclUser) throws {
        let s = u.server
        XCTAssertEqual(try u.run(["lock", "run", "r", "--", "sh", "-c", "echo $CACHECTL_LOCK_TOKEN"]).stdout, "1\n")
        // Renewed every ttl/3 while the command runs.
        try u.run(["lock", "run", "r", "--ttl", "300ms", "--", "sleep", "0.35"])
        try s.cli(["SET", u.key("lock:busy"), "someone", "PX", "30000"])
        try u.run(["lock", "run", "busy", "--", "true"], exit: 1)
        try u.run(["lock", "run", "busy", "--wait", "100ms", "--conflict-exit-code", "0", "--", "true"])
        try u.run(["lock", "run", "r", "--max-hold", "100ms", "--kill-after", "1s", "--", "sleep", "5"], exit: 3)
        // Lost: the admin deletes the lock while the command runs; the renewal finds out.
        let lost = "redis-cli -p \(s.port) --no-auth-warning DEL '\(u.key("lock:lost"))' >/dev/null; sleep 5"
        try u.run(["lock", "run", "lost", "--ttl", "300ms", "--lost-exit-code", "9", "--", "env", "-u", "REDISCLI_AUTH",
                  "sh", "-c", lost], exit: 9)
        try u.run(["lock", "run", "sem", "--holders", "2", "--", "true"])
        try u.run(["lock", "run", "sem", "--holders", "2", "--ttl", "300ms", "--wait", "1s", "--", "sleep", "0.35"])
    }

    static func ratelimitCheck(_ u: AclUser) throws {
        for algorithm in ["fixed", "sliding", "gcra"] {
            let key = "rl:\(algorithm)"
            try u.run(["ratelimit", "check", key, "--limit", "2", "--window", "1m", "--algorithm", algorithm])
            try u.run(["ratelimit", "check", key, "--limit", "2", "--window", "1m", "--algorithm", algorithm, "--json"])
            try u.run(["ratelimit", "check", key, "--limit", "2", "--window", "1m", "--algorithm", algorithm], exit: 1)
        }
        try u.run(["ratelimit", "check", "rl:burst", "--limit", "10", "--window", "1s", "--algorithm", "gcra", "--burst", "3",
                  "--cost", "2"])
        try u.run(["ratelimit", "check", "--ip", "10.0.0.1", "--endpoint", "/api/auth/login"])
        // The login preset allows 5 a minute: 1 used, 5 more do not fit.
        try u.run(["ratelimit", "check", "--ip", "10.0.0.1", "--endpoint", "/api/auth/login", "--cost", "5"], exit: 1)
    }

    static func ratelimitStatus(_ u: AclUser) throws {
        for algorithm in ["fixed", "sliding", "gcra"] {
            let key = "rl:\(algorithm)"
            try u.run(["ratelimit", "status", key, "--limit", "1", "--window", "1m", "--algorithm", algorithm])
            try u.run(["ratelimit", "check", key, "--limit", "1", "--window", "1m", "--algorithm", algorithm], setup: true)
            try u.run(["ratelimit", "status", key, "--limit", "1", "--window", "1m", "--algorithm", algorithm, "--json"], exit: 1)
        }
        try u.run(["ratelimit", "status", "rl:burst", "--limit", "10", "--window", "1s", "--algorithm", "gcra", "--burst", "3",
                  "--cost", "2"])
        try u.run(["ratelimit", "check", "--ip", "10.0.0.1", "--endpoint", "/api/auth/login"], setup: true)
        try u.run(["ratelimit", "status", "--ip", "10.0.0.1", "--endpoint", "/api/auth/login"])
        try u.run(["ratelimit", "status", "--ip", "10.0.0.1", "--json"])
    }

    static func ratelimitReset(_ u: AclUser) throws {
        try u.run(["ratelimit", "check", "rl:k", "--limit", "5", "--window", "1m"], setup: true)
        try u.run(["ratelimit", "reset", "rl:k", "--dry-run"])
        try u.run(["ratelimit", "reset", "rl:k", "--yes"])
        try u.run(["ratelimit", "reset", "rl:k", "--yes"], exit: 1)
        for endpoint in ["/api/auth/login", "/api/payments"] {
            try u.run(["ratelimit", "check", "--ip", "10.0.0.2", "--endpoint", endpoint], setup: true)
        }
        try u.run(["ratelimit", "reset", "--ip", "10.0.0.2", "--endpoint", "/api/payments", "--yes"])
        try u.run(["ratelimit", "reset", "--ip", "10.0.0.2", "--dry-run"])
        try u.run(["ratelimit", "reset", "--ip", "10.0.0.2", "--yes"])
        try u.run(["ratelimit", "reset", "--ip", "10.0.0.2", "--yes"], exit: 1)
        XCTAssertEqual(try u.server.cli(["DBSIZE"]), "0")
    }

    static func watch(_ u: AclUser) throws {
        let s = u.server
        func receives(_ args: [String], on channel: String, pattern: Bool = false) throws {
            let job = try u.background(args)
            let subscribed = try BackgroundCachectl.eventually {
                pattern ? (Int(try s.cli(["PUBSUB", "NUMPAT"])) ?? 0) > 0 : try s.subscribers(channel) > 0
            }
            XCTAssertTrue(subscribed, "\(args): never subscribed: \(job.stderr)")
            try s.cli(["PUBLISH", channel, "{\"keys\":[\"k\"]}"])
            let out = u.wait(job, args)
            XCTAssertTrue(out.contains(channel), out)
        }
        try receives(["watch", "--count", "1"], on: "cache:invalidate")
        try receives(["watch", "--json", "--count", "1", "sessions:invalidate"], on: "sessions:invalidate")
        // A pattern may only be one the line grants as a channel: the default channels.
        try receives(["watch", "--pattern", "--count", "1", "permissions:invalidate"], on: "permissions:invalidate",
                     pattern: true)
        // Silence past --timeout: a PING proves the subscription alive.
        try u.run(["watch", "--for", "300ms", "--timeout", "100ms"])
    }

    static func sessionList(_ u: AclUser) throws {
        let s = u.server
        try s.cli(["SADD", u.key("session:user:7"), "a", "b", "gone"])
        try s.cli(["SET", u.key("session:a"), "1", "EX", "600"])
        try s.cli(["SET", u.key("session:b"), "1", "EX", "600"])
        let list = try u.run(["session", "list", "--user", "7"])
        XCTAssertTrue(list.stdout.contains("gone"), list.stdout)
        try u.run(["session", "list", "--user", "7", "--json"])
        try u.run(["session", "list", "--user", "99"])
        try s.cli(["SADD", u.key("session:idx:8"), "z"])
        try s.cli(["SET", u.key("session:s:z"), "1", "EX", "600"])
        try u.run(["session", "list", "--user", "8", "--session-key", "session:s:{id}", "--index-key", "session:idx:{user}"])
    }

    static func sessionRevoke(_ u: AclUser) throws {
        let s = u.server
        try s.cli(["SADD", u.key("session:user:7"), "a", "b", "gone"])
        for id in ["a", "b", "x", "y"] { try s.cli(["SET", u.key("session:\(id)"), "1", "EX", "600"]) }
        try s.cli(["SADD", u.key("session:user:8"), "y"])
        try s.cli(["SADD", u.key("session:idx:9"), "z"])
        try s.cli(["SET", u.key("session:s:z"), "1", "EX", "600"])
        try u.run(["session", "revoke", "--user", "7", "--dry-run"])
        try u.run(["session", "revoke", "--user", "7", "--yes"])
        XCTAssertEqual(try s.cli(["EXISTS", u.key("session:user:7"), u.key("session:a")]), "0")
        try u.run(["session", "revoke", "--session", "x", "--yes", "--no-publish"])
        try u.run(["session", "revoke", "--session", "y", "--user", "8", "--yes", "--publish=app:events"])
        try u.run(["session", "revoke", "--user", "9", "--session-key", "session:s:{id}", "--index-key", "session:idx:{user}",
                  "--yes"])
        try u.run(["session", "revoke", "--user", "99", "--yes"])
        XCTAssertEqual(try s.cli(["DBSIZE"]), "0")
    }

    static func bench(_ u: AclUser) throws {
        let small = ["--requests", "200", "-c", "2", "--no-progress"]
        try u.run(["bench", "-t", "ping,set,get,incr", "-q"] + small)
        try u.run(["bench", "-t", "mixed,getorset", "-r", "50", "--ratio", "1:1", "--ttl", "1s", "--json"] + small)
        try u.run(["bench", "-t", "lock,ratelimit", "-r", "20", "--threads", "2", "--csv"] + small)
        try u.run(["bench", "-t", "set", "-c", "2", "-P", "4", "-d", "16", "--duration", "200ms", "--warmup", "50ms", "--keep",
                  "--progress"])
        XCTAssertNotEqual(try u.server.cli(["DBSIZE"]), "0", "--keep")
        try u.server.cli(["SET", u.key("other"), "v"])
        try u.run(["bench", "-t", "get", "--yes"] + small)
    }
}

/// One ACL user made from `cachectl acl`'s line for a row's command, and the runs made as it.
final class AclUser {
    let server: RedisServer
    let name: String
    let prefix: String?
    let database: Int
    /// `lock acquire`: what every run of the row's command starts with.
    let path: [String]
    private let spec: CommandSpec
    private let password: String
    private(set) var problems: [String] = []
    private(set) var runs = 0
    /// Long names of the command's own options given by some run.
    private(set) var optionsGiven: Set<String> = []

    /// Words that say a command or channel was refused.
    static let refusals = ["NOPERM", "noPermission", "not permitted", "not allowed", "unavailable ("]

    init(server: RedisServer, row: AclEveryCommandEndToEndTests.Row, name: String? = nil) throws {
        guard let command = AclEveryCommandEndToEndTests.commands[row.id] else {
            throw RedisServer.StartError.didNotStart("\(row.id) is in no command of the table")
        }
        self.server = server
        self.name = name ?? "acl-\(row.id.rawValue)\(row.prefix == nil ? "-own" : "")\(row.database == 0 ? "" : "-db\(row.database)")"
        self.prefix = row.prefix
        database = row.database
        path = command.path
        spec = command.spec
        password = "\(self.name)-pw"
        var args = ["--user", self.name, "-n", "\(database)"] + (prefix.map { ["--prefix", $0] } ?? []) + ["acl", path[0]]
        if let publish = row.publish { args += ["--publish", publish] }
        let line = try Cachectl.run(args)
        guard line.exitCode == 0 else {
            throw RedisServer.StartError.didNotStart("cachectl \(args.joined(separator: " ")): \(line.stderr)")
        }
        let text = line.stdout.trimmingCharacters(in: .newlines)
        let reply = try server.cliLine(text)
        guard reply == "OK" else { throw RedisServer.StartError.didNotStart("\(text): \(reply)") }
        // The line has no password on purpose (AclLine): the admin adds one.
        try server.setUser(self.name, rules: [">\(password)"])
    }

    /// `key` as the server holds it: after the prefix.
    func key(_ key: String) -> String { (prefix ?? "") + key }

    /// `session` has a `--user` of its own (the application's user): the ACL user comes from
    /// REDIS_USERNAME there.
    private var environment: [String: String] {
        var env = ["REDISCLI_AUTH": password]
        if path[0] == "session" { env["REDIS_USERNAME"] = name }
        return env
    }

    private var base: [String] {
        ["-p", "\(server.port)", "-n", "\(database)"] + (path[0] == "session" ? [] : ["--user", name])
            + (prefix.map { ["--prefix", $0] } ?? [])
    }

    /// Runs cachectl as the user and notes every problem; `setup` runs prepare a state with
    /// another subcommand of the same line and are held to the same checks, but not counted.
    @discardableResult
    func run(_ args: [String], exit expected: Int32 = 0, stdin: Data = Data(), setup: Bool = false) throws -> CachectlRun {
        let r = try Cachectl.run(base + args, environment: environment, stdin: stdin)
        judge(args, exit: r.exitCode, expected: expected, stdout: r.stdout, stderr: r.stderr, setup: setup)
        return r
    }

    func background(_ args: [String]) throws -> BackgroundCachectl {
        try BackgroundCachectl(base + args, environment: environment)
    }

    /// Waits for a background run and judges it as `run` does; returns its stdout.
    func wait(_ job: BackgroundCachectl, _ args: [String], exit expected: Int32 = 0) -> String {
        let code = job.wait()
        judge(args, exit: code, expected: expected, stdout: job.stdout, stderr: job.stderr, setup: false)
        return job.stdout
    }

    private func judge(_ args: [String], exit code: Int32, expected: Int32, stdout: String, stderr: String, setup: Bool) {
        let what = "\(name): cachectl \(args.joined(separator: " "))"
        if !setup {
            runs += 1
            if args.starts(with: path) { noteOptions(Array(args.dropFirst(path.count))) } else {
                problems.append("\(what): not a run of '\(path.joined(separator: " "))'")
            }
        }
        if code != expected { problems.append("\(what): exit \(code), documented \(expected): \(stderr)") }
        for word in Self.refusals {
            if stderr.contains(word) { problems.append("\(what): '\(word)' on stderr: \(stderr)") }
            if stdout.contains(word) { problems.append("\(what): '\(word)' on stdout: \(stdout)") }
        }
        do {
            for entry in try refusalsLogged() { problems.append("\(what): ACL LOG: \(entry)") }
        } catch {
            problems.append("\(what): ACL LOG: \(error)")
        }
    }

    /// The server's ACL LOG since the last look, one line per entry (`key lua {app:lock:a}:fence
    /// (evalsha)`), then emptied. One refusal is by design and left out: the lock scripts read
    /// the fencing counter's earlier layout `{PREFIX lock:NAME}:fence` with `pcall` when a
    /// counter is created, and that key lies outside `~PREFIX*` (see `LockScripts.drawToken`).
    func refusalsLogged() throws -> [String] {
        let text = try server.cli(["--json", "ACL", "LOG"])
        guard !text.isEmpty, text != "[]" else { return [] }
        try server.cli(["ACL", "LOG", "RESET"])
        guard let entries = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] else {
            return [text]
        }
        let legacyFence = "{" + (prefix ?? "") + "lock:"
        return entries.compactMap { entry in
            let field = { (name: String) in entry[name].map { "\($0)" } ?? "" }
            let object = field("object")
            // Redis 6.2 logs a script's refusal in context "multi" (its script client is flagged so).
            if field("reason") == "key", ["lua", "multi"].contains(field("context")), object.hasPrefix(legacyFence),
               object.hasSuffix("}:fence") {
                return nil
            }
            let command = field("client-info").split(separator: " ").first { $0.hasPrefix("cmd=") }?.dropFirst(4) ?? ""
            return "\(field("reason")) \(field("context")) \(object) (\(command)) x\(field("count"))"
        }
    }

    /// The command's own options among `args` (up to `--`), by long name.
    private func noteOptions(_ args: [String]) {
        for arg in args {
            if arg == "--" { break }
            if arg.hasPrefix("--") {
                optionsGiven.insert(String(arg.dropFirst(2).prefix { $0 != "=" }))
            } else if arg.hasPrefix("-"), arg.count == 2, let option = spec.option(short: arg.last!) {
                optionsGiven.insert(option.long)
            }
        }
    }
}
