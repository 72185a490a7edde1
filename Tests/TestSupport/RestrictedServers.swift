import Foundation

/// Servers as production hands them to a job: a least-privilege ACL user, a server whose
/// admin commands are renamed away, and users made from `cachectl acl`.
public enum RestrictedServers {
    /// The commands managed services rename or disable.
    public static let renamedCommands = ["CONFIG", "SLOWLOG", "MEMORY", "CLIENT", "HELLO", "INFO", "SCRIPT"]

    /// A server with the user `app` (password `app-pw`): `~app:* &* +@all -@dangerous`,
    /// the common "no admin commands" user.
    public static let aclUser: Result<RedisServer, Error> = Result {
        let s = try RedisServer.start()
        try s.setUser("app", rules: ["on", ">app-pw", "~app:*", "&*", "+@all", "-@dangerous"])
        return s
    }

    /// A server started with `--rename-command NAME ""` for every command above.
    public static let renamed: Result<RedisServer, Error> = Result {
        try RedisServer.start(extraArguments: renamedCommands.flatMap { ["--rename-command", $0, ""] })
    }
}

extension RedisServer {
    /// `ACL SETUSER name rules…`; throws when the server did not answer OK.
    public func setUser(_ name: String, rules: [String]) throws {
        let reply = try cli(["ACL", "SETUSER", name] + rules)
        guard reply == "OK" else { throw StartError.didNotStart("ACL SETUSER \(name): \(reply)") }
    }

    /// Runs a line as redis-cli reads it on stdin (`cachectl acl … | redis-cli`).
    @discardableResult
    public func cliLine(_ line: String) throws -> String {
        try cli([], stdin: Data((line + "\n").utf8))
    }

    /// `redis://user:password@host:port`.
    public func url(user: String, password: String) -> String {
        "redis://\(user):\(password)@\(host):\(port)"
    }
}
