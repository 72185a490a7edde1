import XCTest
@testable import RedisClient

final class ConfigResolverTests: XCTestCase {
    func testDefaults() throws {
        let c = try ConfigResolver.resolve(flags: ConnectionOverrides(), environment: [:])
        XCTAssertEqual(c.endpoint, .tcp(host: "127.0.0.1", port: 6379))
        XCTAssertEqual(c.database, 0)
        XCTAssertNil(c.password)
        XCTAssertNil(c.tls)
        XCTAssertEqual(c.replyTimeout, .seconds(5))
        XCTAssertEqual(c.keyPrefix, [])
    }

    func testEnvironmentPartsThenURLThenFlags() throws {
        let env = ["REDIS_HOST": "envhost", "REDIS_PORT": "7001", "REDIS_DB": "2", "REDIS_PASSWORD": "envpw",
                   "REDIS_USERNAME": "envuser", "REDIS_KEY_PREFIX": "app:"]
        var c = try ConfigResolver.resolve(flags: ConnectionOverrides(), environment: env)
        XCTAssertEqual(c.endpoint, .tcp(host: "envhost", port: 7001))
        XCTAssertEqual(c.database, 2)
        XCTAssertEqual(c.username, "envuser")
        XCTAssertEqual(c.password, "envpw")
        XCTAssertEqual(c.keyPrefix, Array("app:".utf8))

        var withURL = env
        withURL["REDIS_URL"] = "redis://urlhost:7002/5"
        c = try ConfigResolver.resolve(flags: ConnectionOverrides(), environment: withURL)
        XCTAssertEqual(c.endpoint, .tcp(host: "urlhost", port: 7002))
        XCTAssertEqual(c.database, 5)
        XCTAssertEqual(c.password, "envpw", "parts the URL does not set stay in force")

        c = try ConfigResolver.resolve(flags: ConnectionOverrides(host: "flaghost", database: 9, keyPrefix: Array("x:".utf8)),
                                       environment: withURL)
        XCTAssertEqual(c.endpoint, .tcp(host: "flaghost", port: 7002))
        XCTAssertEqual(c.database, 9)
        XCTAssertEqual(c.keyPrefix, Array("x:".utf8))
    }

    func testRedisCliAuthBeatsRedisPasswordButNotURL() throws {
        var env = ["REDIS_PASSWORD": "a", "REDISCLI_AUTH": "b"]
        XCTAssertEqual(try ConfigResolver.resolve(flags: ConnectionOverrides(), environment: env).password, "b")
        env["REDIS_URL"] = "redis://:c@h"
        XCTAssertEqual(try ConfigResolver.resolve(flags: ConnectionOverrides(), environment: env).password, "c")
        XCTAssertEqual(try ConfigResolver.resolve(flags: ConnectionOverrides(password: "d"), environment: env).password, "d")
    }

    func testREDIS_URLCredentialsNeverFollowAFlagToAnotherServer() throws {
        let env = ["REDIS_URL": "redis://produser:prodpw@prod:6379/3", "REDIS_PASSWORD": "generic"]
        var c = try ConfigResolver.resolve(flags: ConnectionOverrides(url: "redis://127.0.0.1:7000"), environment: env)
        XCTAssertEqual(c.endpoint, .tcp(host: "127.0.0.1", port: 7000))
        XCTAssertEqual(c.password, "generic", "--url is taken whole; only the generic parts remain")
        XCTAssertNil(c.username)
        XCTAssertEqual(c.database, 0, "REDIS_URL's database does not apply either")
        c = try ConfigResolver.resolve(flags: ConnectionOverrides(host: "other"), environment: env)
        XCTAssertEqual(c.password, "generic")
        XCTAssertNil(c.username)
        c = try ConfigResolver.resolve(flags: ConnectionOverrides(port: 7001), environment: ["REDIS_URL": "redis://:prodpw@prod:6379"])
        XCTAssertNil(c.password)
        c = try ConfigResolver.resolve(flags: ConnectionOverrides(database: 4), environment: env)
        XCTAssertEqual(c.password, "prodpw", "a flag that keeps the server keeps REDIS_URL's credentials")
    }

    func testTLSFromEnvironmentAndURL() throws {
        XCTAssertNotNil(try ConfigResolver.resolve(flags: ConnectionOverrides(), environment: ["REDIS_TLS": "true"]).tls)
        XCTAssertNil(try ConfigResolver.resolve(flags: ConnectionOverrides(), environment: ["REDIS_TLS": "false"]).tls)
        XCTAssertNotNil(try ConfigResolver.resolve(flags: ConnectionOverrides(url: "rediss://h:1"), environment: [:]).tls)
        XCTAssertThrowsError(try ConfigResolver.resolve(flags: ConnectionOverrides(), environment: ["REDIS_TLS": "maybe"]))
        XCTAssertThrowsError(try ConfigResolver.resolve(
            flags: ConnectionOverrides(tlsOptions: TLSOptions(insecure: true)), environment: [:]))
    }

    func testSocketFlagAndPortFlagPrecedence() throws {
        var c = try ConfigResolver.resolve(flags: ConnectionOverrides(socket: "/tmp/r.sock"), environment: ["REDIS_PORT": "7000"])
        XCTAssertEqual(c.endpoint, .unix(path: "/tmp/r.sock"))
        c = try ConfigResolver.resolve(flags: ConnectionOverrides(port: 7003), environment: ["REDIS_URL": "unix:///tmp/x.sock"])
        XCTAssertEqual(c.endpoint, .tcp(host: "127.0.0.1", port: 7003))
    }

    func testBadEnvironmentValuesAreConfigurationErrors() {
        for env in [["REDIS_PORT": "abc"], ["REDIS_PORT": "0"], ["REDIS_DB": "-1"], ["REDIS_URL": "ftp://x"]] {
            XCTAssertThrowsError(try ConfigResolver.resolve(flags: ConnectionOverrides(), environment: env)) { error in
                XCTAssertEqual((error as? RedisError)?.category, .configuration, "\(env)")
            }
        }
    }

    func testDescriptionNeverShowsThePassword() throws {
        let c = try ConfigResolver.resolve(flags: ConnectionOverrides(url: "redis://u:topsecret@h:1/2"), environment: [:])
        XCTAssertFalse(c.description.contains("topsecret"))
        XCTAssertTrue(c.description.contains("password=***"))
    }
}
