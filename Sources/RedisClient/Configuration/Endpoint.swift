/// Where a server listens.
public enum Endpoint: Sendable, Hashable {
    case tcp(host: String, port: Int)
    case unix(path: String)

    /// `host:port` (`[::1]:6379` for IPv6) or the socket path; never holds credentials.
    public var display: String {
        switch self {
        case .tcp(let host, let port):
            return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path):
            return path
        }
    }
}
