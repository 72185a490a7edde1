/// A `-MOVED 3999 127.0.0.1:6381` or `-ASK 3999 127.0.0.1:6381` error reply.
struct ClusterRedirect: Equatable {
    enum Kind { case moved, ask }
    var kind: Kind
    var slot: Int
    var endpoint: Endpoint

    init?(_ text: String, defaultHost: String) {
        let parts = text.split(separator: " ")
        // A slot outside the 16384 a cluster has is not a redirection to follow.
        guard parts.count == 3, let slot = Int(parts[1]), (0..<16384).contains(slot) else { return nil }
        switch parts[0] {
        case "MOVED": kind = .moved
        case "ASK": kind = .ask
        default: return nil
        }
        let address = parts[2]
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]) else { return nil }
        var host = String(address[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.slot = slot
        self.endpoint = .tcp(host: host.isEmpty ? defaultHost : host, port: port)
    }
}
