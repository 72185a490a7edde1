import RESP

/// One published message as a subscriber receives it. Channel, pattern and payload are
/// bytes: publishers may send anything.
public struct PubSubMessage: Sendable, Equatable {
    public var channel: [UInt8]
    /// The `PSUBSCRIBE` pattern that matched; nil for a plain subscription.
    public var pattern: [UInt8]?
    public var payload: [UInt8]

    public init(channel: [UInt8], pattern: [UInt8]? = nil, payload: [UInt8]) {
        self.channel = channel
        self.pattern = pattern
        self.payload = payload
    }
}

/// What a subscribed connection can receive, in RESP2 (arrays) or RESP3 (pushes, and plain
/// replies to commands such as `PING`).
enum SubscriberReply: Equatable {
    case message(PubSubMessage)
    /// `subscribe`/`psubscribe` confirmation: how many subscriptions the connection holds.
    case subscribed(count: Int)
    /// The answer to a `PING` (`pong` in RESP2 subscribed mode, `+PONG` in RESP3), or any
    /// other reply to a command: proof the server is there.
    case answer
    /// An error reply (a refused `SUBSCRIBE`, say).
    case error(String)
    /// Pushes of other kinds (client-side caching invalidations…): ignored.
    case other

    init(_ value: RESPValue) {
        let value = value.unwrapped
        if let err = value.errorBytes {
            self = .error(String(decoding: err, as: UTF8.self))
            return
        }
        let isPush: Bool
        switch value {
        case .push: isPush = true
        case .array: isPush = false
        default:
            self = .answer
            return
        }
        guard let parts = value.elements, let kind = parts.first?.bytes else {
            self = isPush ? .other : .answer
            return
        }
        switch (String(decoding: kind, as: UTF8.self).lowercased(), parts.count) {
        case ("message", 3):
            self = .message(PubSubMessage(channel: parts[1].bytes ?? [], payload: parts[2].bytes ?? []))
        case ("pmessage", 4):
            self = .message(PubSubMessage(channel: parts[2].bytes ?? [], pattern: parts[1].bytes ?? [],
                                          payload: parts[3].bytes ?? []))
        case ("subscribe", 3), ("psubscribe", 3):
            self = .subscribed(count: Int(parts[2].int ?? 0))
        case ("pong", _):
            self = .answer
        default:
            self = isPush ? .other : .answer
        }
    }
}
