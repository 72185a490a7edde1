#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The socket system calls the client needs, in one place so a port to another OS touches
/// this file only. Every socket is non-blocking: the blocking connection waits with `poll`,
/// and an event loop can drive the same descriptors.
enum Sockets {
    /// Opens a non-blocking TCP connection to the first address of `host` that accepts
    /// within `timeout`; tries IPv6 and IPv4 answers in resolver order.
    static func connectTCP(host: String, port: Int, timeout: Duration) throws(RedisError) -> Int32 {
        let endpoint = Endpoint.tcp(host: host, port: port).display
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw .hostNotFound(host: host, reason: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(first) }

        var lastError: RedisError = .connectionFailed(endpoint: endpoint, reason: "no usable address")
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        let deadline = ContinuousClock.now + timeout
        while let ai = cursor {
            cursor = ai.pointee.ai_next
            let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype, ai.pointee.ai_protocol)
            if fd < 0 { lastError = .connectionFailed(endpoint: endpoint, reason: errnoText()); continue }
            do {
                try finishConnect(fd: fd, address: ai.pointee.ai_addr, length: ai.pointee.ai_addrlen,
                                  endpoint: endpoint, deadline: deadline, timeout: timeout)
                var one: Int32 = 1
                _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return fd
            } catch {
                close(fd)
                lastError = error
                if case .timeout = error { throw error }
            }
        }
        throw lastError
    }

    /// Opens a non-blocking connection to a Unix domain socket.
    static func connectUnix(path: String, timeout: Duration) throws(RedisError) -> Int32 {
        let endpoint = Endpoint.unix(path: path).display
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        let pathBytes = Array(path.utf8)
        guard pathBytes.count < capacity else {
            throw .invalidConfiguration("socket path is longer than \(capacity - 1) bytes: \(path)")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in pathBytes.enumerated() { raw[i] = b }
            raw[pathBytes.count] = 0
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .connectionFailed(endpoint: endpoint, reason: errnoText()) }
        do {
            try withUnsafePointer(to: &addr) { ptr throws(RedisError) in
                try ptr.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa throws(RedisError) in
                    try finishConnect(fd: fd, address: sa, length: socklen_t(MemoryLayout<sockaddr_un>.size),
                                      endpoint: endpoint, deadline: ContinuousClock.now + timeout, timeout: timeout)
                }
            }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    private static func finishConnect(fd: Int32, address: UnsafePointer<sockaddr>?, length: socklen_t,
                                      endpoint: String, deadline: ContinuousClock.Instant,
                                      timeout: Duration) throws(RedisError) {
        setNonBlocking(fd)
        setCloseOnExec(fd)
        if connect(fd, address, length) == 0 { return }
        let err = errno
        guard err == EINPROGRESS || err == EAGAIN else { throw connectError(err, endpoint: endpoint) }
        switch waitFor(fd: fd, events: Int16(POLLOUT), until: deadline) {
        case .timedOut:
            throw .timeout(endpoint: endpoint, waitingFor: "the connection", after: timeout)
        case .failed(let e):
            throw connectError(e, endpoint: endpoint)
        case .ready:
            var soError: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len)
            if soError != 0 { throw connectError(soError, endpoint: endpoint) }
        }
    }

    private static func connectError(_ err: Int32, endpoint: String) -> RedisError {
        switch err {
        case ECONNREFUSED: return .connectionRefused(endpoint: endpoint)
        case ENOENT: return .connectionFailed(endpoint: endpoint, reason: "no such socket file")
        default: return .connectionFailed(endpoint: endpoint, reason: String(cString: strerror(err)))
        }
    }

    enum WaitResult: Equatable { case ready, timedOut, failed(Int32) }

    /// Waits until `fd` is ready for `events` or the deadline passes; retries on EINTR so a
    /// signal handler that only sets a flag does not turn into a spurious error.
    static func waitFor(fd: Int32, events: Int16, until deadline: ContinuousClock.Instant) -> WaitResult {
        while true {
            let remaining = deadline - ContinuousClock.now
            if remaining <= .zero { return .timedOut }
            let c = remaining.components
            var ms = c.seconds * 1000 + c.attoseconds / 1_000_000_000_000_000
            if ms == 0 { ms = 1 }
            var pfd = pollfd(fd: fd, events: events, revents: 0)
            let rc = poll(&pfd, 1, Int32(clamping: ms))
            if rc > 0 { return .ready }
            if rc == 0 { continue }
            if errno == EINTR { continue }
            return .failed(errno)
        }
    }

    static func setNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
    }

    static func setCloseOnExec(_ fd: Int32) {
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    static func closeDescriptor(_ fd: Int32) { _ = close(fd) }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

extension Readiness {
    var pollEvents: Int16 {
        switch self {
        case .readable: return Int16(POLLIN)
        case .writable: return Int16(POLLOUT)
        }
    }
}
