/// Everything that can go wrong between cachectl and a server, in terms a user can act on.
///
/// Messages never carry a password: endpoints are `host:port` or a socket path, and URLs
/// are redacted before they reach a case here.
public enum RedisError: Error, Sendable, Equatable {
    /// A setting cannot be used: bad URL, bad port, unreadable certificate.
    case invalidConfiguration(String)
    /// The host name did not resolve.
    case hostNotFound(host: String, reason: String)
    /// Nothing listens at the endpoint.
    case connectionRefused(endpoint: String)
    /// Connecting failed for another reason (unreachable network, missing socket file…).
    case connectionFailed(endpoint: String, reason: String)
    /// The server closed the connection or it broke while a reply was awaited.
    case connectionLost(endpoint: String, reason: String)
    /// No connection or no reply within the configured time.
    case timeout(endpoint: String, waitingFor: String, after: Duration)
    /// WRONGPASS, NOAUTH, invalid password: the server refused who we are.
    case authenticationFailed(String)
    /// NOPERM: we are known but not allowed to run that command.
    case permissionDenied(String)
    /// Any other error reply, verbatim.
    case server(String)
    /// The peer sent something that is not RESP, or not the reply a command must have.
    case protocolViolation(String)
    /// A local I/O failure unrelated to the peer.
    case io(String)
    /// The server's certificate was not accepted: unknown CA, wrong name, expired.
    case tlsVerificationFailed(endpoint: String, reason: String)
    /// The TLS handshake itself failed: the peer does not speak TLS, or refused ours.
    case tlsHandshakeFailed(endpoint: String, reason: String)
}

/// Coarse classes of failure that the executable maps to exit codes.
public enum RedisErrorCategory: Sendable, Equatable {
    case configuration, unavailable, timeout, authentication, server, protocolViolation, io
    /// The server's identity could not be verified: not worth retrying, unlike `unavailable`.
    case tlsVerification
}

extension RedisError: CustomStringConvertible {
    public var category: RedisErrorCategory {
        switch self {
        case .invalidConfiguration: return .configuration
        case .hostNotFound, .connectionRefused, .connectionFailed, .connectionLost: return .unavailable
        case .timeout: return .timeout
        case .authenticationFailed, .permissionDenied: return .authentication
        case .server: return .server
        case .protocolViolation: return .protocolViolation
        case .io: return .io
        case .tlsVerificationFailed: return .tlsVerification
        case .tlsHandshakeFailed: return .unavailable
        }
    }

    public var description: String {
        switch self {
        case .invalidConfiguration(let m): return m
        case .hostNotFound(let host, let reason): return "cannot resolve host '\(host)': \(reason)"
        case .connectionRefused(let ep): return "connection refused by \(ep): is redis-server running there?"
        case .connectionFailed(let ep, let reason): return "cannot connect to \(ep): \(reason)"
        case .connectionLost(let ep, let reason): return "connection to \(ep) lost: \(reason)"
        case .timeout(let ep, let what, let after):
            return "timed out after \(Self.format(after)) waiting for \(what) from \(ep) (see --timeout)"
        case .authenticationFailed(let m): return m
        case .permissionDenied(let m): return m
        case .server(let m): return m
        case .protocolViolation(let m): return "protocol error: \(m)"
        case .io(let m): return m
        case .tlsVerificationFailed(let ep, let reason):
            return "TLS: cannot verify the server certificate of \(ep): \(reason)"
        case .tlsHandshakeFailed(let ep, let reason):
            return "TLS handshake with \(ep) failed: \(reason)"
        }
    }

    private static func format(_ d: Duration) -> String {
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }

    /// Classifies an error reply: authentication problems get their own exit code so scripts
    /// can tell "wrong password" from "wrong command".
    public static func fromServerReply(_ text: String) -> RedisError {
        let code = text.prefix { $0 != " " }
        switch code {
        case "WRONGPASS", "NOAUTH":
            return .authenticationFailed(text)
        case "NOPERM":
            return .permissionDenied(text)
        case "CLUSTERDOWN", "MASTERDOWN":
            // A cluster that cannot serve is "unavailable" (exit 69), not a command error.
            return .connectionFailed(endpoint: "the cluster", reason: text)
        default:
            // Redis before 6 says "ERR invalid password"; a password sent to a server without
            // one says "ERR AUTH <password> called without any password configured…".
            if text.hasPrefix("ERR invalid password") || text.hasPrefix("ERR invalid username-password")
                || text.hasPrefix("ERR AUTH") || text.hasPrefix("ERR Client sent AUTH") {
                return .authenticationFailed(text)
            }
            // Redis 7 words an ACL refusal inside a Lua script this way, without NOPERM;
            // Valkey as "ERR ACL failure in script: User … has no permissions to run …".
            if text.contains("The user executing the script can't") || text.hasPrefix("ERR ACL failure in script") {
                return .permissionDenied(text)
            }
            return .server(text)
        }
    }
}
