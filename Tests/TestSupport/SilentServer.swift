import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback socket that accepts connections (the kernel completes the handshake from the
/// backlog) but never answers: the shape of a hung server, for timeout tests.
public final class SilentServer: @unchecked Sendable {
    public let port: Int
    private let fd: Int32

    public init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa -> Bool in
                bind(fd, sa, len) == 0 && listen(fd, 16) == 0 && getsockname(fd, sa, &len) == 0
            }
        }
        guard ok else {
            close(fd)
            throw RedisServer.StartError.didNotStart("silent server: errno \(errno)")
        }
        port = Int(UInt16(bigEndian: addr.sin_port))
    }

    deinit { close(fd) }
}
