import RedisClient

/// The I/O half of pacing: over a connection of its own, asks the server every `interval`
/// (`INFO stats commandstats`) how busy it is and how long our kind of commands took, and
/// turns two readings into a `PacingController.Sample`. A server or ACL that refuses INFO
/// leaves the probe silent and the controller at its gentle start.
public struct ServerLoadProbe {
    let connection: RedisConnection
    public let interval: Duration
    private let clock = ContinuousClock()
    private var last: Reading?
    private var lastAt: ContinuousClock.Instant?
    private var unitsAtLast = 0
    private var scanUnitsAtLast = 0
    private var commandsAtLast = 0
    public private(set) var refused = false

    /// The commands whose server time is ours (others rarely run them during a job).
    static let ours = ["scan", "sscan", "unlink", "del", "exists", "srem", "multi", "exec", "pttl", "memory|usage", "memory",
                       "pexpire"]

    struct Reading: Equatable {
        var commandsProcessed: Double
        var opsPerSecond: Double
        var ourMicroseconds: Double
    }

    public init(connection: RedisConnection, interval: Duration = .milliseconds(50)) {
        self.connection = connection
        self.interval = interval
    }

    /// The server's own recent commands a second, before we start (INFO's instantaneous
    /// figure); nil when refused.
    public mutating func startingLoad() -> Double? {
        guard let r = read() else { return nil }
        last = r
        lastAt = clock.now
        return r.opsPerSecond
    }

    /// A sample when `interval` has passed since the last reading. `units` and `commands`:
    /// totals sent so far by the job (work units, commands including this probe's);
    /// `scanUnits`: the part of `units` that SCAN pages asked for.
    public mutating func sampleIfDue(units: Int, scanUnits: Int, commands: Int) -> PacingController.Sample? {
        let now = clock.now
        if let at = lastAt, now - at < interval { return nil }
        guard !refused, let r = read() else { return nil }
        defer {
            last = r
            lastAt = now
            unitsAtLast = units
            scanUnitsAtLast = scanUnits
            commandsAtLast = commands + 1
        }
        guard let previous = last, let at = lastAt else { return nil }
        let ourCommands = Double(commands + 1 - commandsAtLast)
        return PacingController.Sample(
            elapsedMicroseconds: (now - at).inMilliseconds * 1000,
            serverMicroseconds: max(0, r.ourMicroseconds - previous.ourMicroseconds),
            units: max(0, units - unitsAtLast),
            scanUnits: max(0, scanUnits - scanUnitsAtLast),
            otherCommands: max(0, r.commandsProcessed - previous.commandsProcessed - ourCommands))
    }

    /// Servers before 7 take one INFO section at a time.
    private var oneSectionAtATime = false

    private mutating func read() -> Reading? {
        if !oneSectionAtATime {
            do {
                if let text = try connection.command("INFO", "stats", "commandstats").string { return Self.parse(text) }
            } catch .server {
                oneSectionAtATime = true
            } catch {
                refused = true
                return nil
            }
        }
        guard let stats = try? connection.command("INFO", "stats").string,
              let commands = try? connection.command("INFO", "commandstats").string else {
            refused = true
            return nil
        }
        return Self.parse(stats + "\r\n" + commands)
    }

    /// Reads `total_commands_processed`, `instantaneous_ops_per_sec` and the `usec` of our
    /// commands from INFO's text.
    static func parse(_ text: String) -> Reading? {
        var reading = Reading(commandsProcessed: 0, opsPerSecond: 0, ourMicroseconds: 0)
        var sawTotal = false
        for line in text.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("total_commands_processed:"), let n = Double(line.dropFirst(25)) {
                reading.commandsProcessed = n
                sawTotal = true
            } else if line.hasPrefix("instantaneous_ops_per_sec:"), let n = Double(line.dropFirst(26)) {
                reading.opsPerSecond = n
            } else if line.hasPrefix("cmdstat_") {
                let name = line.dropFirst(8).prefix { $0 != ":" }
                guard ours.contains(String(name)), let usec = line.split(separator: ",").first(where: { $0.hasPrefix("usec=") }),
                      let us = Double(usec.dropFirst(5)) else { continue }
                reading.ourMicroseconds += us
            }
        }
        return sawTotal ? reading : nil
    }
}
