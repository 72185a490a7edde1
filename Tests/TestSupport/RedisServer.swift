import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real `redis-server` started for tests on a free loopback port, and stopped when the
/// test process ends. No mocks: the tests talk to the same server binary users run.
public final class RedisServer: @unchecked Sendable {
    public let host = "127.0.0.1"
    public let port: Int
    public let password: String?
    /// Extra redis-cli arguments this server needs (`--tls --cacert …` for a TLS node).
    public var cliExtraArguments: [String] = []
    private let process: Process
    private let directory: URL

    public enum StartError: Error, CustomStringConvertible {
        case notInstalled
        case didNotStart(String)
        public var description: String {
            switch self {
            case .notInstalled: return "redis-server is not installed (apt-get install -y redis-server)"
            case .didNotStart(let why): return "redis-server did not start: \(why)"
            }
        }
    }

    /// The server most tests share: no password, default settings.
    public static let shared: Result<RedisServer, Error> = Result { try RedisServer.start() }

    /// A server that requires `password` for the default user.
    public static let withPassword: Result<RedisServer, Error> = Result {
        try RedisServer.start(password: "s3cret-Pa55")
    }

    /// The server binary the tests start: `CACHECTL_TEST_SERVER` when set (the server
    /// matrix of `scripts/test` runs suites on Redis 6.2 and Valkey this way), else the
    /// `redis-server` on PATH.
    public static var serverBinary: String? {
        if let chosen = ProcessInfo.processInfo.environment["CACHECTL_TEST_SERVER"], !chosen.isEmpty { return chosen }
        return findExecutable("redis-server")
    }

    /// The version and name of the server binary the tests start (`redis 7.0.15`,
    /// `valkey 9.1.2`), from `--version`, for tests that need a newer server to say so.
    public static let serverVersion: (name: String, major: Int, minor: Int) = {
        guard let binary = serverBinary else { return ("redis", 0, 0) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["--version"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        guard (try? p.run()) != nil else { return ("redis", 0, 0) }
        p.waitUntilExit()
        // "Redis server v=7.0.15 sha=…" or "Valkey server v=9.1.2 sha=…"
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let name = text.lowercased().hasPrefix("valkey") ? "valkey" : "redis"
        guard let v = text.range(of: "v=") else { return (name, 0, 0) }
        let numbers = text[v.upperBound...].prefix { $0 != " " }.split(separator: ".").compactMap { Int($0) }
        return (name, numbers.first ?? 0, numbers.dropFirst().first ?? 0)
    }()

    /// Whether the server under test has what Redis `major.minor` has (Valkey answers as
    /// Redis 7.2); a test that needs more calls `XCTSkipUnless` with it and says why.
    public static func isAtLeastRedis(_ major: Int, _ minor: Int) -> Bool {
        let v = serverVersion
        if v.name == "valkey" { return (7, 2) >= (major, minor) }
        return (v.major, v.minor) >= (major, minor)
    }

    /// `redis 6.2` or `valkey 9.1`, for skip messages.
    public static var serverDescription: String { "\(serverVersion.name) \(serverVersion.major).\(serverVersion.minor)" }

    /// Starts a server; `extraArguments` are redis-server command-line settings.
    public static func start(port fixedPort: Int? = nil, password: String? = nil, tls: Bool = false,
                             sentinelConfig: String? = nil, extraArguments: [String] = []) throws -> RedisServer {
        guard let binary = serverBinary else { throw StartError.notInstalled }
        var lastError: Error = StartError.didNotStart("no attempt")
        for _ in 0..<3 {
            let port = try fixedPort ?? freePort()
            do {
                return try RedisServer(binary: binary, port: port, password: password, tls: tls,
                                       sentinelConfig: sentinelConfig, extraArguments: extraArguments)
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    private init(binary: String, port: Int, password: String?, tls: Bool, sentinelConfig: String?,
                 extraArguments: [String]) throws {
        self.port = port
        self.password = password
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cachectl-test-redis-\(port)-\(getpid())")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // A TLS server listens with TLS only (`--port 0`), like a managed cache.
        var arguments = (tls ? ["--port", "0", "--tls-port", "\(port)"] : ["--port", "\(port)"])
        arguments += ["--bind", "127.0.0.1", "--daemonize", "no", "--dir", directory.path, "--loglevel", "warning"]
        if let sentinelConfig {
            // Sentinel mode takes its (writable) config file first and no persistence options.
            arguments = [sentinelConfig, "--sentinel"] + arguments
        } else {
            arguments += ["--save", "", "--appendonly", "no"]
        }
        if let password { arguments += ["--requirepass", password] }
        arguments += extraArguments
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        let errPipe = Pipe()
        process.standardError = errPipe
        try process.run()
        ServerRegistry.shared.track(process)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if !process.isRunning {
                let err = String(decoding: errPipe.fileHandleForReading.availableData, as: UTF8.self)
                throw StartError.didNotStart("exited with \(process.terminationStatus): \(err)")
            }
            if Self.canConnect(port: port) { return }
            usleep(20_000)
        }
        process.terminate()
        throw StartError.didNotStart("not listening on port \(port) after 10s")
    }

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }

    /// `redis://…` for this server, with the password when it has one.
    public var url: String {
        if let password { return "redis://:\(password)@\(host):\(port)" }
        return "redis://\(host):\(port)"
    }

    /// Runs `redis-cli` against this server (for seeding and for checking cachectl's work
    /// with an independent client).
    @discardableResult
    public func cli(_ args: [String], stdin: Data? = nil) throws -> String {
        guard let binary = findExecutable("redis-cli") else { throw StartError.notInstalled }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        var full = ["-h", host, "-p", "\(port)"] + cliExtraArguments
        if let password { full += ["--no-auth-warning", "-a", password] }
        p.arguments = full + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        if let stdin {
            let inPipe = Pipe()
            p.standardInput = inPipe
            try p.run()
            inPipe.fileHandleForWriting.write(stdin)
            try inPipe.fileHandleForWriting.close()
        } else {
            p.standardInput = FileHandle.nullDevice
            try p.run()
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// A loopback port nobody listens on right now (the kernel picks it).
public func freePort() throws -> Int {
    let socket = try LoopbackSocket(listenBacklog: nil, what: "free port")
    close(socket.fd)
    return socket.port
}

public func findExecutable(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":") + ["/usr/bin", "/usr/local/bin", "/usr/sbin"] {
        let candidate = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

/// Stops every server a test process started, even when tests fail or the process exits
/// without running deinitialisers.
final class ServerRegistry: @unchecked Sendable {
    static let shared = ServerRegistry()
    private let lock = NSLock()
    private var processes: [Process] = []

    private init() {
        atexit { ServerRegistry.shared.stopAll() }
    }

    func track(_ p: Process) {
        lock.lock(); defer { lock.unlock() }
        processes.append(p)
    }

    func stopAll() {
        lock.lock(); defer { lock.unlock() }
        for p in processes where p.isRunning { kill(p.processIdentifier, SIGTERM) }
        processes.removeAll()
    }
}
