import Foundation

/// A three-primary Redis Cluster on loopback: three `redis-server --cluster-enabled yes`
/// joined with `redis-cli --cluster create`.
public final class ClusterFixture: @unchecked Sendable {
    public let nodes: [RedisServer]
    public var ports: [Int] { nodes.map(\.port) }
    public var seedURL: String { "redis://127.0.0.1:\(nodes[0].port)" }

    public static let shared: Result<ClusterFixture, Error> = Result { try ClusterFixture() }

    /// A cluster of its own, for tests that break it.
    public static func start(tls: TLSFixture? = nil) throws -> ClusterFixture { try ClusterFixture(tls: tls) }

    private init(tls: TLSFixture? = nil) throws {
        var started: [RedisServer] = []
        for _ in 0..<3 {
            let tlsArguments = tls.map { $0.dnsOnlyServerArguments + ["--tls-cluster", "yes"] } ?? []
            // The cluster bus listens on port + 10000, which someone else may hold (other test
            // runs share the machine): a node that cannot bind gets another port.
            var attempt = 0
            var candidate: RedisServer?
            while candidate == nil {
                attempt += 1
                var port = try freePort()
                while port > 55000 { port = try freePort() }
                do {
                    candidate = try RedisServer.start(port: port, tls: tls != nil, extraArguments: [
                        "--cluster-enabled", "yes", "--cluster-config-file", "nodes-\(port).conf",
                        "--cluster-node-timeout", "5000"] + tlsArguments)
                } catch where attempt < 5 {
                    continue
                }
            }
            guard let node = candidate else { throw RedisServer.StartError.didNotStart("no port for a cluster node") }
            if let tls { node.cliExtraArguments = ["--tls", "--cacert", tls.caFile] }
            started.append(node)
        }
        nodes = started
        let addresses = nodes.map { "127.0.0.1:\($0.port)" }
        _ = try nodes[0].cli(["--cluster", "create"] + addresses + ["--cluster-replicas", "0", "--cluster-yes"])
        // Gossip settles in a second or two on an idle machine; a loaded one needs longer.
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let ok = try nodes.allSatisfy { try $0.cli(["cluster", "info"]).contains("cluster_state:ok") }
            if ok { return }
            usleep(100_000)
        }
        throw RedisServer.StartError.didNotStart("cluster did not reach cluster_state:ok")
    }

    /// The node ID of each server, in `nodes` order.
    public func nodeIDs() throws -> [String] {
        try nodes.map { try $0.cli(["cluster", "myid"]) }
    }
}
