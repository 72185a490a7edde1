import Foundation
import RESP
#if canImport(Glibc)
import Glibc
#endif

/// A scriptable RESP server on a free loopback port, for fault injection: each command a
/// client sends is handed to `script`, whose `FakeReply` decides what goes back (canned
/// bytes, a delay, a stall, a cut at any byte, a reset, an endless flood). Runs in this
/// process on plain threads, so a test drives it directly and can run the real binary
/// against it. It imitates transport and replies only; Redis semantics are tested against
/// real servers (see `RedisServer`).
public final class FakeRedisServer: @unchecked Sendable {
    public let port: Int
    private let listener: Int32
    private let script: @Sendable (FakeCommand) -> FakeReply
    private let lock = NSLock()
    private var clients: Set<Int32> = []
    private var stopped = false
    private var commandLog: [[String]] = []

    /// Starts listening on 127.0.0.1 at a port the kernel picks.
    public init(script: @escaping @Sendable (FakeCommand) -> FakeReply) throws {
        self.script = script
        let socket = try LoopbackSocket(listenBacklog: 64, reuseAddress: true, what: "fake server")
        listener = socket.fd
        port = socket.port
        let thread = Thread { [self] in acceptLoop() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    deinit { stop() }

    /// Every command received so far, as text, in order (across connections).
    public var receivedCommands: [[String]] {
        lock.lock()
        defer { lock.unlock() }
        return commandLog
    }

    /// Closes the listener and every connection; threads end on their own.
    public func stop() {
        lock.lock()
        let wasStopped = stopped
        stopped = true
        let open = clients
        clients = []
        lock.unlock()
        guard !wasStopped else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    private var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }

    private func acceptLoop() {
        var connection = 0
        while !isStopped {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            lock.lock()
            if stopped {
                lock.unlock()
                close(fd)
                return
            }
            clients.insert(fd)
            lock.unlock()
            connection += 1
            let number = connection
            let thread = Thread { [self] in serve(fd, connection: number) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    private func serve(_ fd: Int32, connection: Int) {
        defer {
            lock.lock()
            clients.remove(fd)
            lock.unlock()
            close(fd)
        }
        var parser = RESPParser()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var index = 0
        // Commands queued since MULTI (nil outside a transaction), handed to EXEC's command
        // so a script can answer with the replies of the transaction.
        var queued: [FakeCommand]?
        while !isStopped {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return }
            parser.append(Array(buffer[0..<n]))
            while let value = try? parser.next() {
                let args = value.elements?.compactMap(\.bytes) ?? []
                lock.lock()
                commandLog.append(args.map { String(decoding: $0, as: UTF8.self) })
                lock.unlock()
                var command = FakeCommand(arguments: args, index: index, connection: connection)
                index += 1
                switch command.name {
                case "MULTI":
                    queued = []
                case "EXEC", "DISCARD":
                    command.transaction = queued
                    queued = nil
                default:
                    if queued != nil {
                        command.isQueued = true
                        queued?.append(command)
                    }
                }
                if !perform(script(command), on: fd) { return }
            }
        }
    }

    /// Carries out one reply; false when the connection is to end.
    private func perform(_ reply: FakeReply, on fd: Int32) -> Bool {
        switch reply {
        case .bytes(let bytes):
            return send(bytes, on: fd)
        case .delayed(let delay, let then):
            Thread.sleep(forTimeInterval: Self.seconds(delay))
            return perform(then, on: fd)
        case .sequence(let replies):
            for r in replies where !perform(r, on: fd) { return false }
            return true
        case .stall:
            // Holds the connection open and silent until the client or the test gives up.
            var byte: UInt8 = 0
            while !isStopped && recv(fd, &byte, 1, 0) > 0 {}
            return false
        case .cut(let bytes, let at):
            _ = send(Array(bytes.prefix(max(0, at))), on: fd)
            return false
        case .reset:
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            return false
        case .close:
            return false
        case .flood(let head, let repeating, let pause):
            guard send(head, on: fd) else { return false }
            while !isStopped {
                guard send(repeating, on: fd) else { return false }
                if let pause { Thread.sleep(forTimeInterval: Self.seconds(pause)) }
            }
            return false
        }
    }

    private func send(_ bytes: [UInt8], on fd: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    private static func seconds(_ d: Duration) -> TimeInterval {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

/// One command as the fake server received it.
public struct FakeCommand: Sendable {
    public var arguments: [[UInt8]]
    /// Position of the command on its connection, from 0.
    public var index: Int
    /// Which connection (1 for the first accepted).
    public var connection: Int
    /// Sent between MULTI and EXEC: a real server answers `+QUEUED` and runs it at EXEC.
    public var isQueued = false
    /// For EXEC (and DISCARD): the commands queued since MULTI; nil when there was no MULTI.
    public var transaction: [FakeCommand]?

    /// The command name, upper-cased; with its subcommand for `CLUSTER`, `CLIENT`, `MEMORY`…
    public var name: String {
        let words = arguments.prefix(2).map { String(decoding: $0, as: UTF8.self).uppercased() }
        guard let first = words.first else { return "" }
        if ["CLUSTER", "CLIENT", "MEMORY", "SCRIPT", "CONFIG", "SLOWLOG", "SENTINEL", "COMMAND", "OBJECT"].contains(first),
           words.count > 1 {
            return first + " " + words[1]
        }
        return first
    }

    public var text: [String] { arguments.map { String(decoding: $0, as: UTF8.self) } }

    public init(arguments: [[UInt8]], index: Int = 0, connection: Int = 1) {
        self.arguments = arguments
        self.index = index
        self.connection = connection
    }
}

/// What the fake server does with one command.
public enum FakeReply: Sendable {
    /// These bytes, as they are (any RESP, or garbage).
    case bytes([UInt8])
    /// Waits, then does the next thing.
    indirect case delayed(Duration, FakeReply)
    /// Several things in order (a reply in pieces with pauses, a reply then a push).
    case sequence([FakeReply])
    /// Never answers; keeps the connection open.
    case stall
    /// Sends the first `at` bytes of `bytes`, then closes the connection.
    case cut([UInt8], at: Int)
    /// Closes the connection with a TCP reset.
    case reset
    /// Closes the connection cleanly (FIN).
    case close
    /// Sends `head`, then `repeating` again and again until the client goes away, pausing
    /// `pause` between copies: a never-ending aggregate, line or push storm.
    case flood(head: [UInt8], repeating: [UInt8], pause: Duration?)

    /// A RESP value, encoded.
    public static func value(_ v: RESPValue) -> FakeReply { .bytes(RESPEncoder.encode(v)) }
    /// Raw text (use `\r\n` for terminators).
    public static func raw(_ text: String) -> FakeReply { .bytes(Array(text.utf8)) }
    public static let ok = raw("+OK\r\n")
    public static func error(_ text: String) -> FakeReply { raw("-\(text)\r\n") }
    public static func integer(_ n: Int64) -> FakeReply { raw(":\(n)\r\n") }
}
