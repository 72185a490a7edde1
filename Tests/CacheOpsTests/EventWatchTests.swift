import XCTest
import Foundation
import TestSupport
import RESP
import RedisClient
@testable import CacheOps

/// `watch`'s subscription against real servers: messages in RESP2 and RESP3, patterns,
/// quiet periods longer than the reply timeout, and a server restarted on the same port.
final class EventWatchTests: XCTestCase {
    private func config(_ s: RedisServer, resp3: Bool = false, timeout: Duration = .seconds(5)) -> ConnectionConfig {
        ConnectionConfig(endpoint: .tcp(host: s.host, port: s.port), resp3: resp3, connectTimeout: timeout, replyTimeout: timeout)
    }

    private func publish(_ s: RedisServer, _ channel: String, _ payload: [UInt8]) throws {
        let c = try RedisConnection.connect(config(s))
        try c.command([Array("PUBLISH".utf8), Array(channel.utf8), payload])
    }

    // MARK: Pure

    func testBackoffDoublesToItsCeilingAndResets() {
        var b = ReconnectBackoff(initial: .milliseconds(100), maximum: .milliseconds(500))
        XCTAssertEqual((0..<5).map { _ in b.next() },
                       [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(500), .milliseconds(500)])
        b.reset()
        XCTAssertEqual(b.next(), .milliseconds(100))
    }

    func testRepliesAreClassifiedInBothProtocols() {
        let message = PubSubMessage(channel: Array("c".utf8), payload: [0xFF, 0x00])
        let resp2: RESPValue = .array([.bulk("message"), .bulk("c"), .bulkString([0xFF, 0x00])])
        XCTAssertEqual(SubscriberReply(resp2), .message(message))
        XCTAssertEqual(SubscriberReply(.push([.bulk("message"), .bulk("c"), .bulkString([0xFF, 0x00])])), .message(message))
        XCTAssertEqual(SubscriberReply(.push([.bulk("pmessage"), .bulk("c*"), .bulk("c"), .bulk("x")])),
                       .message(PubSubMessage(channel: Array("c".utf8), pattern: Array("c*".utf8), payload: Array("x".utf8))))
        XCTAssertEqual(SubscriberReply(.array([.bulk("subscribe"), .bulk("c"), .integer(2)])), .subscribed(count: 2))
        XCTAssertEqual(SubscriberReply(.array([.bulk("pong"), .bulk("")])), .answer)
        XCTAssertEqual(SubscriberReply(.simpleString(Array("PONG".utf8))), .answer)
        XCTAssertEqual(SubscriberReply(.push([.bulk("invalidate"), .array([.bulk("k")])])), .other)
        XCTAssertEqual(SubscriberReply(.error(Array("NOPERM no".utf8))), .error("NOPERM no"))
    }

    func testChannelsAreDeduplicated() {
        XCTAssertEqual(WatchRequest(channels: [Array("a".utf8), Array("b".utf8), Array("a".utf8)]).channels.count, 2)
    }

    // MARK: Against a server

    private func collect(_ cfg: ConnectionConfig, _ request: WatchRequest, count: Int,
                         until deadline: ContinuousClock.Instant = .now + .seconds(20),
                         onSubscribed: (Bool) throws -> Void = { _ in }, onLost: () throws -> Void = {}) throws
        -> (messages: [PubSubMessage], events: [WatchEvent], end: WatchEnd) {
        var messages: [PubSubMessage] = []
        var events: [WatchEvent] = []
        var failure: Error?
        let end = try EventWatch.run(config: cfg, request: request, until: deadline) { event in
            events.append(event)
            do {
                switch event {
                case .subscribed(_, let resumed): try onSubscribed(resumed)
                case .lost: try onLost()
                case .message(let m): messages.append(m)
                case .retryFailed: break
                }
            } catch {
                failure = error
                return false
            }
            return messages.count < count
        }
        if let failure { throw failure }
        return (messages, events, end)
    }

    func testMessagesArriveInBothProtocolsWithBinaryPayloads() throws {
        let s = try RedisServer.shared.get()
        for resp3 in [false, true] {
            let channel = "watch:test:\(resp3)"
            let r = try collect(config(s, resp3: resp3), WatchRequest(channels: [Array(channel.utf8)]), count: 2,
                                onSubscribed: { _ in
                                    try self.publish(s, channel, Array("{\"type\":\"user\",\"userId\":7}".utf8))
                                    try self.publish(s, channel, [0xFF, 0xFE, 0x00])
                                })
            XCTAssertEqual(r.end, .handlerDone)
            XCTAssertEqual(r.messages.map(\.payload), [Array("{\"type\":\"user\",\"userId\":7}".utf8), [0xFF, 0xFE, 0x00]])
            XCTAssertEqual(r.messages.first?.channel, Array(channel.utf8))
        }
    }

    func testPatternSubscriptionNamesTheChannelAndThePattern() throws {
        let s = try RedisServer.shared.get()
        let r = try collect(config(s), WatchRequest(channels: [Array("wpat:*".utf8)], patterns: true), count: 1,
                            onSubscribed: { _ in try self.publish(s, "wpat:one", Array("x".utf8)) })
        XCTAssertEqual(r.messages, [PubSubMessage(channel: Array("wpat:one".utf8), pattern: Array("wpat:*".utf8), payload: Array("x".utf8))])
    }

    /// Quiet for longer than several reply timeouts, with PINGs checking liveness: the
    /// subscription is neither dropped nor reconnected.
    func testSilenceLongerThanTheReplyTimeoutIsNotAFailure() throws {
        let s = try RedisServer.shared.get()
        let request = WatchRequest(channels: [Array("watch:quiet".utf8)], livenessInterval: .milliseconds(100))
        let r = try collect(config(s, timeout: .milliseconds(200)), request, count: 1, until: .now + .milliseconds(1200))
        XCTAssertEqual(r.end, .deadline)
        XCTAssertEqual(r.events.count, 1, "\(r.events)")
        XCTAssertEqual(r.messages, [])
    }

    /// The server is stopped and started again on the same port: the watch says it lost
    /// the connection, retries, resubscribes and receives what is published afterwards.
    func testResumesAfterTheServerRestartsOnTheSamePort() throws {
        var server = try RedisServer.start()
        let port = server.port
        defer { server.stop() }
        let request = WatchRequest(channels: [Array("watch:restart".utf8)], livenessInterval: .milliseconds(200),
                                   backoff: ReconnectBackoff(initial: .milliseconds(50), maximum: .milliseconds(200)))
        var restarted = false
        let r = try collect(config(server, timeout: .seconds(2)), request, count: 2, onSubscribed: { resumed in
            if resumed {
                try self.publish(server, "watch:restart", Array("after".utf8))
            } else {
                try self.publish(server, "watch:restart", Array("before".utf8))
                server.stop()
                // Down for a while, so that at least one attempt fails.
                usleep(400_000)
                server = try RedisServer.start(port: port)
                restarted = true
            }
        })
        XCTAssertTrue(restarted)
        XCTAssertEqual(r.messages.map { String(decoding: $0.payload, as: UTF8.self) }, ["before", "after"])
        XCTAssertTrue(r.events.contains { if case .lost = $0 { return true }; return false }, "\(r.events)")
        XCTAssertTrue(r.events.contains(.subscribed(endpoint: "127.0.0.1:\(port)", resumed: true)), "\(r.events)")
    }

    func testFirstConnectionFailureIsAnError() throws {
        let cfg = ConnectionConfig(endpoint: .tcp(host: "127.0.0.1", port: try freePort()))
        XCTAssertThrowsError(try EventWatch.run(config: cfg, request: WatchRequest(channels: [Array("x".utf8)])) { _ in true }) { error in
            XCTAssertEqual((error as? RedisError)?.category, .unavailable)
        }
    }

    func testARefusedChannelEndsTheWatchWithAPermissionError() throws {
        let s = try RedisServer.start()
        defer { s.stop() }
        try s.cli(["acl", "setuser", "narrow", "on", ">pw", "+@all", "~*", "resetchannels", "&allowed"])
        var cfg = config(s)
        cfg.username = "narrow"
        cfg.password = "pw"
        XCTAssertThrowsError(try EventWatch.run(config: cfg, request: WatchRequest(channels: [Array("forbidden".utf8)])) { _ in true }) { error in
            guard case .permissionDenied = error as? RedisError else { return XCTFail("\(error)") }
        }
    }

    /// Every node of a cluster receives every PUBLISH: a watch on one node sees a message
    /// published on another, and knows the other nodes to fail over to.
    func testOnAClusterAnyNodeReceivesPublishesMadeOnAnother() throws {
        let cluster = try ClusterFixture.shared.get()
        let first = cluster.nodes[0], last = cluster.nodes[2]
        let seed = try RedisConnection.connect(config(first))
        XCTAssertEqual(Set(SubscriberTargets.discover(from: seed).map(\.endpoint)),
                       Set(cluster.nodes.map { Endpoint.tcp(host: "127.0.0.1", port: $0.port) }))
        let r = try collect(config(first), WatchRequest(channels: [Array("cache:invalidate".utf8)]), count: 1,
                            onSubscribed: { _ in try self.publish(last, "cache:invalidate", Array("{}".utf8)) })
        XCTAssertEqual(r.messages.map(\.payload), [Array("{}".utf8)])
    }
}
