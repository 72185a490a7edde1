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
        // A cluster that never settles is started again once on other ports, and the error
        // shows what each node saw (a test run once met a cluster stuck short of ok).
        var failures: [String] = []
        for _ in 0..<2 {
            let started = try Self.launch(tls: tls)
            if let problem = try Self.settle(started) {
                failures.append(problem)
                FileHandle.standardError.write(Data("ClusterFixture: starting the cluster again: \(problem)\n".utf8))
                for node in started { node.stop() }
                continue
            }
            nodes = started
            return
        }
        throw RedisServer.StartError.didNotStart(failures.joined(separator: "\n-- then --\n"))
    }

    private static func launch(tls: TLSFixture?) throws -> [RedisServer] {
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
        return started
    }

    /// Joins the nodes and waits for every one to say `cluster_state:ok`; nil when they do,
    /// otherwise what each node saw.
    private static func settle(_ nodes: [RedisServer]) throws -> String? {
        let addresses = nodes.map { "127.0.0.1:\($0.port)" }
        let created = (try? nodes[0].cli(["--cluster", "create"] + addresses + ["--cluster-replicas", "0", "--cluster-yes"])) ?? "failed"
        // Gossip settles in a second or two on an idle machine; a loaded one needs longer.
        let deadline = Date().addingTimeInterval(40)
        while Date() < deadline {
            let ok = nodes.allSatisfy { ((try? $0.cli(["cluster", "info"])) ?? "").contains("cluster_state:ok") }
            if ok { return nil }
            usleep(100_000)
        }
        return "cluster did not reach cluster_state:ok in 40 s; create said: \(created.suffix(400))\n"
            + diagnostics(nodes)
    }

    /// The node ID of each server, in `nodes` order.
    public func nodeIDs() throws -> [String] {
        try nodes.map { try $0.cli(["cluster", "myid"]) }
    }

    /// The index in `nodes` of the primary that serves `slot` by its own account.
    public func ownerIndex(ofSlot slot: Int) throws -> Int? {
        for (i, node) in nodes.enumerated() {
            let line = try node.cli(["cluster", "nodes"]).split(separator: "\n").first { $0.contains("myself") } ?? ""
            let ranges = line.split(separator: " ").dropFirst(8)
            for range in ranges {
                let ends = range.split(separator: "-").compactMap { Int($0) }
                if let lo = ends.first, let hi = ends.last, lo <= slot, slot <= hi { return i }
            }
        }
        return nil
    }

    /// Makes an empty `slot` unreachable without stopping anything: its owner is told another
    /// node serves it while that node still believes the owner does, so every client is sent
    /// back and forth (`MOVED`) for good. No node claims the slot any more, so gossip leaves
    /// the dispute as it is.
    public func disputeSlot(_ slot: Int) throws {
        guard let owner = try ownerIndex(ofSlot: slot) else { throw RedisServer.StartError.didNotStart("slot \(slot) has no owner") }
        let ids = try nodeIDs()
        _ = try nodes[owner].cli(["cluster", "setslot", "\(slot)", "node", ids[(owner + 1) % nodes.count]])
    }

    /// Each node's `cluster_state` line and `CLUSTER NODES`, for assertion messages.
    public func diagnostics() -> String { Self.diagnostics(nodes) }

    private static func diagnostics(_ nodes: [RedisServer]) -> String {
        nodes.map { node in
            let info = (try? node.cli(["cluster", "info"])) ?? "unreachable"
            let state = info.split(separator: "\n").first { $0.hasPrefix("cluster_state") }.map(String.init) ?? info
            let map = (try? node.cli(["cluster", "nodes"])) ?? "unreachable"
            return "node \(node.port): \(state.trimmingCharacters(in: .whitespacesAndNewlines))\n\(map)"
        }.joined(separator: "\n")
    }
}
