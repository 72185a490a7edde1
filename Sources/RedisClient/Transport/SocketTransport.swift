#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain TCP or Unix-domain socket.
public final class SocketTransport: Transport {
    public private(set) var fileDescriptor: Int32
    let endpoint: String

    init(fileDescriptor: Int32, endpoint: String) {
        self.fileDescriptor = fileDescriptor
        self.endpoint = endpoint
    }

    /// Connects to `endpoint` within `timeout`.
    public static func connect(to endpoint: Endpoint, timeout: Duration) throws(RedisError) -> SocketTransport {
        let fd: Int32
        switch endpoint {
        case .tcp(let host, let port): fd = try Sockets.connectTCP(host: host, port: port, timeout: timeout)
        case .unix(let path): fd = try Sockets.connectUnix(path: path, timeout: timeout)
        }
        return SocketTransport(fileDescriptor: fd, endpoint: endpoint.display)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(RedisError) -> TransportResult {
        while true {
            let n = recv(fileDescriptor, buffer.baseAddress, buffer.count, 0)
            if n > 0 { return .bytes(n) }
            if n == 0 { return .closed }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock(waitFor: .readable)
            case ECONNRESET: throw .connectionLost(endpoint: endpoint, reason: "reset by peer")
            default: throw .connectionLost(endpoint: endpoint, reason: Sockets.errnoText())
            }
        }
    }

    public func write(_ buffer: UnsafeRawBufferPointer) throws(RedisError) -> TransportResult {
        while true {
            // MSG_NOSIGNAL: a server that hangs up must give an error, not kill us with SIGPIPE.
            let n = send(fileDescriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            if n >= 0 { return .bytes(n) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock(waitFor: .writable)
            case EPIPE, ECONNRESET: throw .connectionLost(endpoint: endpoint, reason: "closed by peer")
            default: throw .connectionLost(endpoint: endpoint, reason: Sockets.errnoText())
            }
        }
    }

    public func close() {
        if fileDescriptor >= 0 {
            Sockets.closeDescriptor(fileDescriptor)
            fileDescriptor = -1
        }
    }

    deinit { close() }
}
