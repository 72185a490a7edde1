import RESP

/// A server-side Lua script, sent by digest (`EVALSHA`) and loaded on the fly when the
/// server does not know it yet (`NOSCRIPT`), so each call is one atomic round trip.
public struct LuaScript: Sendable, Equatable {
    public let source: String
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        self.sha1 = SHA1.hexDigest(Array(source.utf8))
    }
}

extension RedisConnection {
    /// Runs `script` with `keys` and `args`; error replies are thrown, as from `command`.
    @discardableResult
    public func eval(_ script: LuaScript, keys: [[UInt8]], args: [[UInt8]]) throws(RedisError) -> RESPValue {
        let tail: [[UInt8]] = [Array(String(keys.count).utf8)] + keys + args
        do {
            return try command([Array("EVALSHA".utf8), Array(script.sha1.utf8)] + tail)
        } catch .server(let text) where text.hasPrefix("NOSCRIPT") {
            // EVAL both loads and runs it; later EVALSHA calls then find it cached.
            return try command([Array("EVAL".utf8), Array(script.source.utf8)] + tail)
        }
    }

    /// Puts `script` in the server's script cache without running it for real: `SCRIPT
    /// LOAD`, or, where SCRIPT is refused (an ACL user, a managed service), `EVAL` with no
    /// keys, which caches the script and then fails at its first key access, having
    /// written nothing. Only a refusal of EVAL itself is thrown.
    public func load(_ script: LuaScript) throws(RedisError) {
        do {
            try command([Array("SCRIPT".utf8), Array("LOAD".utf8), Array(script.source.utf8)])
        } catch where error.refusal != nil {
            do {
                try command([Array("EVAL".utf8), Array(script.source.utf8), Array("0".utf8)])
            } catch .server {
                // The script ran without its keys and stopped: it is cached all the same.
            }
        }
    }
}
