import Foundation

/// A primary, a replica and one sentinel monitoring them as `mymaster`, on loopback.
public final class SentinelFixture: @unchecked Sendable {
    public let primary: RedisServer
    public let replica: RedisServer
    public let sentinel: RedisServer
    public let masterName = "mymaster"
    public var sentinelAddress: String { "127.0.0.1:\(sentinel.port)" }

    public static let shared: Result<SentinelFixture, Error> = Result { try SentinelFixture() }

    private init() throws {
        primary = try RedisServer.start()
        replica = try RedisServer.start(extraArguments: ["--replicaof", "127.0.0.1", "\(primary.port)"])
        let conf = FileManager.default.temporaryDirectory.appendingPathComponent("cachectl-sentinel-\(getpid()).conf")
        try """
        sentinel monitor mymaster 127.0.0.1 \(primary.port) 1
        sentinel down-after-milliseconds mymaster 2000
        sentinel failover-timeout mymaster 10000
        sentinel parallel-syncs mymaster 1

        """.write(to: conf, atomically: true, encoding: .utf8)
        sentinel = try RedisServer.start(sentinelConfig: conf.path)
        // Wait until the replica is in sync and the sentinel knows it.
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let info = try replica.cli(["info", "replication"])
            let known = try sentinel.cli(["sentinel", "replicas", masterName])
            if info.contains("master_link_status:up") && known.contains("\(replica.port)") { return }
            usleep(100_000)
        }
        throw RedisServer.StartError.didNotStart("replica or sentinel did not become ready")
    }

    /// The port of whichever node the sentinel currently calls primary.
    public func currentPrimaryPort() throws -> Int? {
        let lines = try sentinel.cli(["sentinel", "get-master-addr-by-name", masterName]).split(whereSeparator: \.isNewline)
        return lines.count == 2 ? Int(lines[1]) : nil
    }
}
