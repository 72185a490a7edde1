import CTLS
#if canImport(Glibc)
import Glibc
#endif

/// TLS over a non-blocking TCP socket, through the system OpenSSL (loaded on first use,
/// see CTLS).
///
/// Verification is on unless `insecure`: the chain against the system store or the given
/// CA file, and the host name (or `serverName`), which redis-cli does not check.
public final class TLSTransport: Transport {
    private let socket: SocketTransport
    private let context: OpaquePointer
    private let ssl: OpaquePointer
    private let endpoint: String
    public var fileDescriptor: Int32 { socket.fileDescriptor }

    private init(socket: SocketTransport, context: OpaquePointer, ssl: OpaquePointer, endpoint: String) {
        self.socket = socket
        self.context = context
        self.ssl = ssl
        self.endpoint = endpoint
    }

    deinit {
        ctls_SSL_free(ssl)
        ctls_SSL_CTX_free(context)
    }

    /// Connects, then completes the handshake within what is left of `timeout`.
    public static func connect(host: String, port: Int, options: TLSOptions, timeout: Duration) throws(RedisError) -> TLSTransport {
        let endpoint = Endpoint.tcp(host: host, port: port).display
        let deadline = ContinuousClock.now + timeout
        let context = try makeContext(options)
        guard let ssl = ctls_SSL_new(context) else {
            ctls_SSL_CTX_free(context)
            throw .tlsHandshakeFailed(endpoint: endpoint, reason: lastErrorText())
        }
        let socket: SocketTransport
        do throws(RedisError) {
            socket = try SocketTransport.connect(to: .tcp(host: host, port: port), timeout: timeout)
        } catch {
            ctls_SSL_free(ssl)
            ctls_SSL_CTX_free(context)
            throw error
        }
        let transport = TLSTransport(socket: socket, context: context, ssl: ssl, endpoint: endpoint)
        ctls_SSL_set_fd(ssl, socket.fileDescriptor)

        let name = options.serverName ?? host
        let isIPAddress = Self.isIPAddress(name)
        if !isIPAddress {
            // SNI carries names only; an IP address is never sent as a server name.
            _ = ctls_SSL_set_server_name(ssl, name)
        }
        if !options.insecure {
            let ok: Int32 = isIPAddress
                ? ctls_SSL_verify_ip(ssl, name)
                : ctls_SSL_verify_host(ssl, name)
            guard ok == 1 else { throw .invalidConfiguration("TLS: cannot verify against server name '\(name)'") }
        }
        try transport.handshake(until: deadline, timeout: timeout)
        return transport
    }

    private func handshake(until deadline: ContinuousClock.Instant, timeout: Duration) throws(RedisError) {
        while true {
            ctls_ERR_clear_error()
            let rc = ctls_SSL_connect(ssl)
            if rc == 1 { return }
            let err = ctls_SSL_get_error(ssl, rc)
            let events: Int16
            switch err {
            case SSL_ERROR_WANT_READ: events = Int16(POLLIN)
            case SSL_ERROR_WANT_WRITE: events = Int16(POLLOUT)
            default:
                let verify = ctls_SSL_get_verify_result(ssl)
                if verify != X509_V_OK {
                    throw .tlsVerificationFailed(endpoint: endpoint, reason: String(cString: ctls_verify_error_string(verify)))
                }
                let detail = Self.lastErrorText()
                throw .tlsHandshakeFailed(endpoint: endpoint, reason: detail.isEmpty ? "the server closed the connection (does it speak TLS?)" : detail)
            }
            switch Sockets.waitFor(fd: fileDescriptor, events: events, until: deadline) {
            case .ready: continue
            case .timedOut:
                throw .timeout(endpoint: endpoint, waitingFor: "the TLS handshake (does the server speak TLS on this port?)", after: timeout)
            case .failed(let e): throw .io("poll failed: errno \(e)")
            }
        }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(RedisError) -> TransportResult {
        ctls_ERR_clear_error()
        errno = 0  // so SSL_ERROR_SYSCALL reads this call's errno, not an earlier EAGAIN
        let n = ctls_SSL_read(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
        if n > 0 { return .bytes(Int(n)) }
        return try interpret(n)
    }

    public func write(_ buffer: UnsafeRawBufferPointer) throws(RedisError) -> TransportResult {
        ctls_ERR_clear_error()
        errno = 0
        let n = ctls_SSL_write(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
        if n > 0 { return .bytes(Int(n)) }
        return try interpret(n)
    }

    private func interpret(_ rc: Int32) throws(RedisError) -> TransportResult {
        switch ctls_SSL_get_error(ssl, rc) {
        case SSL_ERROR_WANT_READ: return .wouldBlock(waitFor: .readable)
        case SSL_ERROR_WANT_WRITE: return .wouldBlock(waitFor: .writable)
        case SSL_ERROR_ZERO_RETURN: return .closed
        case SSL_ERROR_SYSCALL:
            let e = errno
            if e == 0 || e == ECONNRESET || e == EPIPE { return .closed }
            throw .connectionLost(endpoint: endpoint, reason: String(cString: strerror(e)))
        default:
            throw .connectionLost(endpoint: endpoint, reason: "TLS: \(Self.lastErrorText())")
        }
    }

    public func close() {
        if socket.fileDescriptor >= 0 {
            _ = ctls_SSL_shutdown(ssl)
            socket.close()
        }
    }

    private static func makeContext(_ options: TLSOptions) throws(RedisError) -> OpaquePointer {
        var loadError = [CChar](repeating: 0, count: 256)
        guard ctls_load(&loadError, loadError.count) == 0 else {
            throw .invalidConfiguration("TLS: \(String(decoding: loadError.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))")
        }
        guard let ctx = ctls_SSL_CTX_new() else {
            throw .invalidConfiguration("TLS: cannot create a context: \(lastErrorText())")
        }
        _ = ctls_SSL_CTX_set_min_tls12(ctx)
        ctls_SSL_CTX_set_partial_writes(ctx)
        do throws(RedisError) {
            if options.insecure {
                ctls_SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE)
            } else {
                ctls_SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER)
                if let ca = options.caCertificateFile {
                    try requireReadable(ca, what: "--cacert")
                    guard ctls_SSL_CTX_load_verify_file(ctx, ca) == 1 else {
                        throw RedisError.invalidConfiguration("TLS: cannot load CA certificates from \(ca): \(lastErrorText())")
                    }
                } else if ctls_SSL_CTX_set_default_verify_paths(ctx) != 1 {
                    throw RedisError.invalidConfiguration("TLS: cannot load the system CA store: \(lastErrorText())")
                }
            }
            switch (options.certificateFile, options.keyFile) {
            case (nil, nil): break
            case (let cert?, let key?):
                try requireReadable(cert, what: "--cert")
                try requireReadable(key, what: "--key")
                guard ctls_SSL_CTX_use_certificate_chain_file(ctx, cert) == 1 else {
                    throw RedisError.invalidConfiguration("TLS: cannot load the client certificate \(cert): \(lastErrorText())")
                }
                guard ctls_SSL_CTX_use_PrivateKey_file(ctx, key) == 1 else {
                    throw RedisError.invalidConfiguration("TLS: cannot load the client key \(key): \(lastErrorText())")
                }
                guard ctls_SSL_CTX_check_private_key(ctx) == 1 else {
                    throw RedisError.invalidConfiguration("TLS: the client key \(key) does not match the certificate \(cert)")
                }
            default:
                throw RedisError.invalidConfiguration("TLS: --cert and --key go together")
            }
        } catch {
            ctls_SSL_CTX_free(ctx)
            throw error
        }
        return ctx
    }

    private static func requireReadable(_ path: String, what: String) throws(RedisError) {
        guard access(path, R_OK) == 0 else {
            throw .invalidConfiguration("TLS: cannot read \(what) file \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// The oldest queued OpenSSL error as text (the one that explains the failure).
    private static func lastErrorText() -> String {
        let code = ctls_ERR_get_error()
        guard code != 0 else { return "" }
        var buffer = [CChar](repeating: 0, count: 256)
        ctls_ERR_error_string_n(code, &buffer, buffer.count)
        while ctls_ERR_get_error() != 0 {}
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func isIPAddress(_ s: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, s, &v4) == 1 || inet_pton(AF_INET6, s, &v6) == 1
    }
}
