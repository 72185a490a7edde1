import RESP
import RedisClient

/// Reply parsing shared by the lock and the semaphore scripts: both answer a grant as
/// `{1, token}` and an owner-checked change as `{1}` or `{0, state…}`; only the state
/// after the flag differs, so each caller brings its own state parser.
struct LockScriptReply {
    /// "lock" or "semaphore", for the error message.
    let kind: String

    /// The reply's elements; a non-array or empty reply is malformed.
    func elements(_ reply: RESPValue, _ name: String) throws(RedisError) -> [RESPValue] {
        guard let parts = reply.elements, !parts.isEmpty else { throw malformed(name) }
        return parts
    }

    /// The fencing token when `parts` is a grant `{1, token}`; nil when it is not a grant.
    func grantedToken(_ parts: [RESPValue], _ name: String) throws(RedisError) -> Int64? {
        guard parts.first?.int == 1 else { return nil }
        guard parts.count == 2, let token = parts[1].int else { throw malformed(name) }
        return token
    }

    /// Runs an owner-checked script: nil when it was done, else the state it found
    /// (parsed by `state` from index 1).
    func ownerChecked<State>(_ script: LuaScript, _ name: String, _ connection: some KeyedCommands,
                             keys: [[UInt8]], args: [[UInt8]],
                             state: ([RESPValue], Int, String) throws(RedisError) -> State)
        throws(RedisError) -> State? {
        let parts = try elements(try connection.eval(script, keys: keys, args: args), name)
        if parts.first?.int == 1 { return nil }
        return try state(parts, 1, name)
    }

    func malformed(_ name: String) -> RedisError {
        .protocolViolation("unexpected reply from the \(kind) \(name) script")
    }

    /// A duration as a script argument: whole milliseconds, rounded up.
    static func ms(_ d: Duration) -> [UInt8] { Array(String(wholeMilliseconds(d)).utf8) }
}
