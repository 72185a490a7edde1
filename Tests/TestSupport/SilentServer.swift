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
        let socket = try LoopbackSocket(listenBacklog: 16, what: "silent server")
        fd = socket.fd
        port = socket.port
    }

    deinit { close(fd) }
}
