import RedisClient

/// An optional fact the server would not give: which command was refused and why. The
/// executable turns each into one warning line and, with `--json`, an entry of the
/// `unavailable` list; the fields that depended on it are nil (`n/a`, `null`).
public struct UnavailableFact: Sendable, Equatable {
    /// The Redis command as a user would type it: "INFO", "MEMORY USAGE", "CONFIG GET".
    public var command: String
    /// What the command would have told, for the warning: "memory and hit rate".
    public var provides: String
    public var refusal: CommandRefusal
    /// The server's reply, verbatim (already free of secrets: replies never echo a password).
    public var reply: String

    public init(command: String, provides: String, refusal: CommandRefusal, reply: String) {
        self.command = command
        self.provides = provides
        self.refusal = refusal
        self.reply = reply
    }

    /// One line: "INFO unavailable (not permitted for this ACL user): memory and hit rate shown as n/a".
    public var warning: String {
        "\(command) unavailable (\(refusal.phrase)): \(provides) shown as n/a"
    }
}

/// Collects the optional facts an operation could not get, so that a refused optional
/// command is skipped instead of failing the command (the operation's core commands still
/// throw). A value type: each operation owns one and returns it in its result.
public struct OptionalFacts: Sendable, Equatable {
    public private(set) var unavailable: [UnavailableFact] = []

    public init() {}

    /// Runs `body`; when the server refuses the command, records why and returns nil.
    /// Every other error (a lost connection, a timeout, WRONGTYPE) still throws.
    public mutating func attempt<T>(_ command: String, provides: String,
                                    _ body: () throws(RedisError) -> T) throws(RedisError) -> T? {
        do {
            return try body()
        } catch {
            guard let refusal = error.refusal else { throw error }
            record(command, provides: provides, refusal: refusal, reply: error.description)
            return nil
        }
    }

    /// Records a refusal found some other way (an error element inside a pipeline's replies).
    public mutating func record(_ command: String, provides: String, refusal: CommandRefusal, reply: String) {
        // One warning per command, however often it was tried (every node of a cluster).
        guard !unavailable.contains(where: { $0.command == command }) else { return }
        unavailable.append(UnavailableFact(command: command, provides: provides, refusal: refusal, reply: reply))
    }

    public mutating func merge(_ other: OptionalFacts) {
        for fact in other.unavailable {
            record(fact.command, provides: fact.provides, refusal: fact.refusal, reply: fact.reply)
        }
    }

    public var isEmpty: Bool { unavailable.isEmpty }
}
