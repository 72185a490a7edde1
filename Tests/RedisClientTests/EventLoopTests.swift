import XCTest
import RESP
import TestSupport
@testable import RedisClient

/// The non-blocking engine: pipelined connections driven by one poller, over plain TCP
/// and TLS, against real servers.
final class EventLoopTests: XCTestCase {
    /// Sends `perConnection` ECHOs on each connection in windows of `window`, driving every
    /// connection from one poller, and checks each reply arrives in order.
    private func drive(_ connections: [PipelinedConnection], perConnection: Int, window: Int) throws {
        let poller = try EventPoller()
        var sent = Array(repeating: 0, count: connections.count)
        var received = Array(repeating: 0, count: connections.count)
        func refill(_ i: Int) throws {
            while sent[i] < perConnection && sent[i] - received[i] < window {
                connections[i].enqueue(RESPEncoder.command("ECHO", "c\(i)m\(sent[i])"))
                sent[i] += 1
            }
            try connections[i].flush()
        }
        for (i, c) in connections.enumerated() {
            try poller.add(c.fileDescriptor, token: i)
            try refill(i)
            if c.needsWritable { try poller.update(c.fileDescriptor, token: i, writable: true) }
        }
        var scratch = [UInt8](repeating: 0, count: 4096)
        let deadline = ContinuousClock.now + .seconds(20)
        while received.reduce(0, +) < connections.count * perConnection {
            XCTAssertLessThan(ContinuousClock.now, deadline)
            if ContinuousClock.now > deadline { return }
            let n = try poller.wait(timeoutMilliseconds: 100)
            for e in 0..<n {
                let event = poller.event(at: e)
                let i = event.token, c = connections[i]
                if event.readable || event.writable {
                    try scratch.withUnsafeMutableBytes { raw in _ = try c.read(using: raw) }
                    while let text = try c.nextReply({ String(decoding: $0, as: UTF8.self) }) {
                        let expected = "c\(i)m\(received[i])"
                        XCTAssertEqual(text, "$\(expected.utf8.count)\r\n\(expected)\r\n")
                        received[i] += 1
                    }
                }
                try refill(i)
                try poller.update(c.fileDescriptor, token: i, writable: c.needsWritable)
            }
        }
        XCTAssertEqual(received, Array(repeating: perConnection, count: connections.count))
    }

    func testManyConnectionsOnePollerOverTCP() throws {
        let s = try RedisServer.shared.get()
        let config = ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port))
        let connections = try (0..<8).map { _ in try PipelinedConnection.connect(config) }
        try drive(connections, perConnection: 3000, window: 16)
    }

    func testTLSThroughTheSameLoop() throws {
        let f = try TLSFixture.shared.get()
        var config = ConnectionConfig(endpoint: .tcp(host: "localhost", port: f.good.port))
        config.tls = TLSOptions(caCertificateFile: f.caFile)
        let connections = try (0..<4).map { _ in try PipelinedConnection.connect(config) }
        // Large windows make OpenSSL hold decrypted replies the descriptor no longer signals.
        try drive(connections, perConnection: 2000, window: 200)
    }

    func testHandshakeStateCarriesOver() throws {
        let s = try RedisServer.shared.get()
        var config = ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port))
        config.database = 7
        let connection = try PipelinedConnection.connect(config)
        connection.enqueue(RESPEncoder.command("CLIENT", "INFO"))
        try connection.flush()
        var scratch = [UInt8](repeating: 0, count: 4096)
        var info: String?
        let deadline = ContinuousClock.now + .seconds(5)
        while info == nil && ContinuousClock.now < deadline {
            try scratch.withUnsafeMutableBytes { raw in _ = try connection.read(using: raw) }
            info = try connection.nextReply { String(decoding: $0, as: UTF8.self) }
        }
        XCTAssertTrue(info?.contains("db=7") == true, info ?? "no reply")
    }

    func testClosedByServerIsConnectionLost() throws {
        let s = try RedisServer.start()
        defer { s.stop() }
        let connection = try PipelinedConnection.connect(ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port)))
        connection.enqueue(RESPEncoder.command("QUIT"))
        try connection.flush()
        var scratch = [UInt8](repeating: 0, count: 4096)
        let deadline = ContinuousClock.now + .seconds(5)
        var lost: RedisError?
        while lost == nil && ContinuousClock.now < deadline {
            do {
                try scratch.withUnsafeMutableBytes { raw in _ = try connection.read(using: raw) }
                _ = try connection.nextReply { _ in 0 }
            } catch let error as RedisError {
                lost = error
            }
        }
        guard case .connectionLost? = lost else { return XCTFail("expected connectionLost, got \(String(describing: lost))") }
    }

    func testBusyConnectionCannotBeHandedOver() throws {
        let s = try RedisServer.shared.get()
        let blocking = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port)))
        blocking.enqueue([Array("PING".utf8)])
        XCTAssertThrowsError(try PipelinedConnection(handingOver: blocking))
    }
}
