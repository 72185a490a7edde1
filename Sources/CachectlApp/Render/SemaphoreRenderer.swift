import CacheOps
import CLI

/// Semaphores (`lock … --holders N`) for people and for scripts.
enum SemaphoreRenderer {
    /// `lock:exports (semaphore, 2 of 3 held, 1 waiting)`.
    static func describe(_ keys: SemaphoreKeys, _ state: SemaphoreState, limit: Int) -> String {
        let waiting = state.waiting > 0 ? ", \(state.waiting) waiting" : ""
        return "\(quotedKey(keys.lock.key)) (semaphore) has \(state.holders.count) of \(limit) held\(waiting)"
    }

    /// The summary line, then one line per holder: `OWNER  expires in 25s`.
    static func statusText(_ keys: SemaphoreKeys, _ state: SemaphoreState, limit: Int) -> String {
        var lines = [describe(keys, state, limit: limit)]
        for holder in state.holders {
            lines.append("  \(quotedKey(holder.owner))  \(LockRenderer.expiry(holder.ttlMs))")
        }
        return lines.joined(separator: "\n")
    }

    static func holdersJSON(_ state: SemaphoreState) -> JSONValue {
        .array(state.holders.map { .object([("owner", LockRenderer.text($0.owner)), ("ttlMs", .int($0.ttlMs))]) })
    }

    /// `{locked, holders: [{owner, ttlMs}], limit, waiting, key}`; locked means full.
    static func statusJSON(_ keys: SemaphoreKeys, _ state: SemaphoreState, limit: Int) -> JSONValue {
        .object([
            ("locked", .bool(state.holders.count >= limit)),
            ("holders", holdersJSON(state)),
            ("limit", .int(Int64(limit))),
            ("waiting", .int(Int64(state.waiting))),
            ("key", .string(quotedKey(keys.holders))),
        ])
    }

    /// `{acquired, key, owner, token, ttlMs, limit}`, or `{acquired: false, key, holders, waiting, limit}`.
    static func acquireJSON(_ keys: SemaphoreKeys, owner: [UInt8], ttl: Duration, limit: Int, attempt: SemaphoreAttempt) -> JSONValue {
        switch attempt {
        case .acquired(let token):
            return .object([("acquired", true), ("key", .string(quotedKey(keys.holders))), ("owner", LockRenderer.text(owner)),
                            ("token", .int(token)), ("ttlMs", .int(wholeMilliseconds(ttl))), ("limit", .int(Int64(limit)))])
        case .full(_, let state):
            return .object([("acquired", false), ("key", .string(quotedKey(keys.holders))), ("holders", holdersJSON(state)),
                            ("waiting", .int(Int64(state.waiting))), ("limit", .int(Int64(limit)))])
        }
    }

    /// `{released|extended: Bool, key, owner, holders?}`.
    static func ownerCheckJSON(_ verb: String, _ keys: SemaphoreKeys, owner: [UInt8], outcome: SemaphoreCheck,
                               extra: [(String, JSONValue)] = []) -> JSONValue {
        var members: [(String, JSONValue)] = [(verb, .bool(outcome == .done)), ("key", .string(quotedKey(keys.holders))),
                                              ("owner", LockRenderer.text(owner))]
        if case .notOwner(let state) = outcome { members.append(("holders", holdersJSON(state))) }
        return .object(members + extra)
    }

    /// Why an attempt did not get a lease, for stderr.
    static func notAcquired(_ keys: SemaphoreKeys, position: Int, _ state: SemaphoreState, limit: Int) -> String {
        if position < 0 { return "this owner already holds a lease of \(quotedKey(keys.lock.key))" }
        let next = state.nextExpiryMs.map { ", the next lease \(LockRenderer.expiry($0))" } ?? ""
        return describe(keys, state, limit: limit) + next
    }
}
