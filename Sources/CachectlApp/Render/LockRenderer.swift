import CacheOps
import CLI

/// Locks for people (one line) and for scripts (the `{locked, owner, ttl}` applications
/// already read, and companions, with the unit in every added field's name).
enum LockRenderer {
    /// `held by node1:1234:abc123, expires in 25s`, `free`.
    static func describe(_ state: LockState) -> String {
        guard let owner = state.owner else { return "free" }
        return "held by \(quotedKey(owner)), " + expiry(state.ttlMs)
    }

    static func expiry(_ ttlMs: Int64?) -> String {
        guard let ms = ttlMs, ms >= 0 else { return "never expires" }
        return "expires in \(formatDuration(.milliseconds(ms)))"
    }

    static func statusLine(_ keys: LockKeys, _ state: LockState) -> String {
        "\(quotedKey(keys.key)) is \(describe(state))"
    }

    /// The applications' `{locked, owner, ttl}` (ttl in whole seconds, rounded up; -1 for a
    /// lock without expiry) plus `ttlMs` and `key`.
    static func statusJSON(_ keys: LockKeys, _ state: LockState) -> JSONValue {
        .object([
            ("locked", .bool(state.isLocked)),
            ("owner", text(state.owner)),
            ("ttl", seconds(state.ttlMs)),
            ("ttlMs", state.ttlMs.map { .int($0) } ?? .null),
            ("key", .string(quotedKey(keys.key))),
        ])
    }

    /// `{acquired, key, owner, token, ttlMs}`, or `{acquired: false, key, heldBy, ttlMs}`
    /// (the names applications use: `lock.acquired` / `lock.heldBy` / `lock.owner`).
    static func acquireJSON(_ keys: LockKeys, owner: [UInt8], ttl: Duration, attempt: LockAttempt) -> JSONValue {
        switch attempt {
        case .acquired(let token):
            return .object([("acquired", true), ("key", .string(quotedKey(keys.key))), ("owner", text(owner)),
                            ("token", .int(token)), ("ttlMs", .int(wholeMilliseconds(ttl)))])
        case .held(let state):
            return .object([("acquired", false), ("key", .string(quotedKey(keys.key))), ("heldBy", text(state.owner)),
                            ("ttlMs", state.ttlMs.map { .int($0) } ?? .null)])
        }
    }

    /// `{released|extended: Bool, key, owner, heldBy?}`; heldBy shows who holds it when it
    /// was not `owner` (owner is null when `--force` found nobody to break).
    static func ownerCheckJSON(_ verb: String, _ keys: LockKeys, owner: [UInt8]?, outcome: OwnerCheck,
                               extra: [(String, JSONValue)] = []) -> JSONValue {
        var members: [(String, JSONValue)] = [(verb, .bool(outcome == .done)), ("key", .string(quotedKey(keys.key))),
                                              ("owner", text(owner))]
        if case .notOwner(let state) = outcome {
            members.append(("heldBy", text(state.owner)))
        }
        return .object(members + extra)
    }

    static func text(_ bytes: [UInt8]?) -> JSONValue {
        bytes.map { .string(String(decoding: $0, as: UTF8.self)) } ?? .null
    }

    private static func seconds(_ ms: Int64?) -> JSONValue {
        guard let ms else { return .null }
        return .int(ms < 0 ? -1 : wholeSecondsRoundedUp(milliseconds: ms))
    }
}
