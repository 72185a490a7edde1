import CacheOps
import CLI
import RedisClient

/// Output of `watch`: one line per message for people, one NDJSON object per message with
/// `--json`, and the connection's ups and downs for stderr.
enum WatchRenderer {
    /// `{"time":…,"timeMs":…,"channel":…,["pattern":…,]"format":"json"|"text"|"binary",
    /// "payload":…}`: a JSON payload is embedded as JSON, text as a string, and bytes that
    /// are not UTF-8 as `payloadBase64`. Channel and pattern follow the key convention
    /// (`channelBase64` when they are not UTF-8).
    static func json(_ m: PubSubMessage, at time: Timestamp) -> String {
        var fields: [String] = []
        func add(_ name: String, _ raw: String) { fields.append(JSONValue.string(name).serialized() + ":" + raw) }
        for (name, value) in time.jsonMembers { add(name, value.serialized()) }
        for (name, value) in jsonKeyFields(m.channel, name: "channel") { add(name, value.serialized()) }
        if let pattern = m.pattern {
            for (name, value) in jsonKeyFields(pattern, name: "pattern") { add(name, value.serialized()) }
        }
        if let compact = JSONText.compacted(m.payload) {
            add("format", "\"json\"")
            add("payload", String(decoding: compact, as: UTF8.self))
        } else if let text = String(validating: m.payload, as: UTF8.self) {
            add("format", "\"text\"")
            add("payload", JSONValue.string(text).serialized())
        } else {
            add("format", "\"binary\"")
            add("payloadBase64", JSONValue.string(base64Encoded(m.payload)).serialized())
        }
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// `07:20:01.123  cache:invalidate  {"keys":["a"]}`: JSON compacted, other text as it
    /// is when it prints on one line, quoted with escapes otherwise.
    static func line(_ m: PubSubMessage, at time: Timestamp, color: Bool) -> String {
        let style = Style(enabled: color)
        var channel = quotedKey(m.channel)
        if let pattern = m.pattern { channel += " (\(quotedKey(pattern)))" }
        return "\(time.localTimeOfDay)  \(style.bold(channel))  \(payloadText(m.payload))"
    }

    static func payloadText(_ payload: [UInt8]) -> String {
        if let compact = JSONText.compacted(payload) { return String(decoding: compact, as: UTF8.self) }
        if let text = String(validating: payload, as: UTF8.self), !text.isEmpty,
           text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) {
            return text
        }
        return payload.isEmpty ? "\"\"" : quotedKey(payload)
    }

    static func subscribed(_ request: WatchRequest, endpoint: String) -> String {
        let what = request.patterns ? "patterns" : "channels"
        return "watching \(what) \(request.channels.map(quotedKey).joined(separator: ", ")) on \(endpoint)"
    }

    static func lost(_ error: RedisError, endpoint: String, retryIn: Duration) -> String {
        "lost the subscription on \(endpoint): \(error); reconnecting in \(formatDuration(retryIn)) "
            + "(messages published meanwhile are not seen)"
    }

    static func retryFailed(_ error: RedisError, endpoint: String, retryIn: Duration) -> String {
        "reconnecting to \(endpoint) failed: \(error); next attempt in \(formatDuration(retryIn))"
    }

    static func resumed(endpoint: String) -> String {
        "reconnected: watching again on \(endpoint)"
    }
}
