import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP socket bound to 127.0.0.1 at a port the kernel picks: the start of every
/// in-process fake server (`SilentServer`, `FakeRedisServer`) and of `freePort`.
struct LoopbackSocket {
    let fd: Int32
    let port: Int

    /// Listens with `backlog` when given (connections the kernel completes before any
    /// accept); only bound otherwise. `what` names the socket in the error.
    init(listenBacklog backlog: Int32?, reuseAddress: Bool = false, what: String) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RedisServer.StartError.didNotStart("\(what): socket: errno \(errno)") }
        if reuseAddress {
            var on: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa -> Bool in
                bind(fd, sa, len) == 0 && (backlog.map { listen(fd, $0) == 0 } ?? true) && getsockname(fd, sa, &len) == 0
            }
        }
        guard ok else {
            let error = errno
            close(fd)
            throw RedisServer.StartError.didNotStart("\(what): errno \(error)")
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: addr.sin_port))
    }
}
