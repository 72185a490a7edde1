import CacheOps
import CLI

/// `cache get`, `cache set` and `cache fetch` documents. Values follow the keys' JSON convention:
/// text under `value` when valid UTF-8, else the quoted form there and the bytes in
/// `valueBase64`.
enum CacheRenderer {
    static func getJSON(key: [UInt8], entry: CacheEntry?) -> JSONValue {
        var fields = jsonKeyFields(key)
        guard let entry else { return .object(fields + [("found", .bool(false))]) }
        fields += [("found", .bool(true)), ("type", .string("string"))]
        fields += ttlFields(entry.ttlMs)
        fields += [("sizeBytes", .int(Int64(entry.value.count)))]
        return .object(fields + jsonKeyFields(entry.value, name: "value"))
    }

    /// `cache set`: what was stored, so `--json` has its document (the value itself is
    /// the caller's and is not echoed back).
    static func setJSON(key: [UInt8], sizeBytes: Int, ttlMs: Int64?) -> JSONValue {
        .object(jsonKeyFields(key) + [("stored", .bool(true))] + ttlFields(ttlMs) + [("sizeBytes", .int(Int64(sizeBytes)))])
    }

    /// `source`: hit, computed, stale or refreshFailed (the current value served).
    static func fetchJSON(key: [UInt8], source: String, value: [UInt8], ttlMs: Int64?,
                          stored: Bool?, commandStatus: Int32?) -> JSONValue {
        var fields = jsonKeyFields(key) + [("source", .string(source))]
        if let stored { fields.append(("stored", .bool(stored))) }
        if let commandStatus { fields.append(("commandExitCode", .int(Int64(commandStatus)))) }
        fields += ttlFields(ttlMs)
        return .object(fields + jsonKeyFields(value, name: "value"))
    }

    /// `ttlMs` and `ttl` in whole seconds (rounded up, as the lock and rate-limit shapes),
    /// null when it never expires.
    private static func ttlFields(_ ms: Int64?) -> [(String, JSONValue)] {
        guard let ms else { return [("ttlMs", .null), ("ttl", .null)] }
        return [("ttlMs", .int(ms)), ("ttl", .int(wholeSecondsRoundedUp(milliseconds: ms)))]
    }
}
