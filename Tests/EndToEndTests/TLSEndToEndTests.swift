import XCTest
import Foundation
import TestSupport

/// TLS against real TLS-only redis-servers with certificates made at test time.
final class TLSEndToEndTests: XCTestCase {
    private func fixture() throws -> TLSFixture { try TLSFixture.shared.get() }

    func testVerifiedConnectionWithCACertificate() throws {
        let f = try fixture()
        for host in ["localhost", "127.0.0.1"] {
            let r = try Cachectl.run(["--tls", "--cacert", f.caFile, "-h", host, "-p", "\(f.good.port)", "health", "--json"])
            XCTAssertEqual(r.exitCode, 0, r.stderr)
            XCTAssertTrue(r.stdout.contains("\"healthy\":true"), r.stdout)
        }
    }

    func testRedissURLAndEnvironmentSwitchOnTLS() throws {
        let f = try fixture()
        let url = try Cachectl.run(["-u", "rediss://localhost:\(f.good.port)", "--cacert", f.caFile, "health", "-q"])
        XCTAssertEqual(url.exitCode, 0, url.stderr)
        let env = try Cachectl.run(["--cacert", f.caFile, "-p", "\(f.good.port)", "health", "-q"],
                                   environment: ["REDIS_TLS": "true", "REDIS_HOST": "localhost"])
        XCTAssertEqual(env.exitCode, 0, env.stderr)
    }

    func testUnknownCAIsRefusedWithAReason() throws {
        let f = try fixture()
        let r = try Cachectl.run(["--tls", "-h", "localhost", "-p", "\(f.good.port)", "health"])
        XCTAssertEqual(r.exitCode, 77, r.stderr)
        XCTAssertTrue(r.stderr.contains("cannot verify the server certificate"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
    }

    func testWrongNameIsRefused() throws {
        let f = try fixture()
        let r = try Cachectl.run(["--tls", "--cacert", f.caFile, "-h", "localhost", "-p", "\(f.wrongName.port)", "health"])
        XCTAssertEqual(r.exitCode, 77, r.stderr)
        XCTAssertTrue(r.stderr.contains("hostname mismatch"), r.stderr)
        // --sni names the host the certificate is for.
        let sni = try Cachectl.run(["--tls", "--cacert", f.caFile, "--sni", "wrong.example", "-h", "localhost",
                                    "-p", "\(f.wrongName.port)", "health", "-q"])
        XCTAssertEqual(sni.exitCode, 0, sni.stderr)
    }

    func testExpiredCertificateIsRefused() throws {
        let f = try fixture()
        let r = try Cachectl.run(["--tls", "--cacert", f.caFile, "-h", "localhost", "-p", "\(f.expired.port)", "health"])
        XCTAssertEqual(r.exitCode, 77, r.stderr)
        XCTAssertTrue(r.stderr.contains("expired"), r.stderr)
    }

    func testInsecureConnectsAndWarns() throws {
        let f = try fixture()
        let r = try Cachectl.run(["--tls", "--insecure", "-p", "\(f.expired.port)", "health", "--json"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("warning: --insecure"), r.stderr)
    }

    func testMutualTLS() throws {
        let f = try fixture()
        let withCert = try Cachectl.run(["--tls", "--cacert", f.caFile, "--cert", f.clientCertFile, "--key", f.clientKeyFile,
                                         "-h", "localhost", "-p", "\(f.mutual.port)", "health", "-q"])
        XCTAssertEqual(withCert.exitCode, 0, withCert.stderr)
        let without = try Cachectl.run(["--tls", "--cacert", f.caFile, "-h", "localhost", "-p", "\(f.mutual.port)", "health"])
        XCTAssertEqual(without.exitCode, 69, without.stderr)
        XCTAssertTrue(without.stderr.hasPrefix("cachectl: error: "), without.stderr)
    }

    func testUnreadableCertificateIsAConfigurationError() throws {
        let f = try fixture()
        let r = try Cachectl.run(["--tls", "--cacert", "/nonexistent/ca.pem", "-p", "\(f.good.port)", "health"])
        XCTAssertEqual(r.exitCode, 78, r.stderr)
        let half = try Cachectl.run(["--tls", "--cacert", f.caFile, "--cert", f.clientCertFile, "-p", "\(f.good.port)", "health"])
        XCTAssertEqual(half.exitCode, 78, half.stderr)
        let noTLS = try Cachectl.run(["--cacert", f.caFile, "-p", "\(f.good.port)", "health"])
        XCTAssertEqual(noTLS.exitCode, 78, noTLS.stderr)
    }

    func testPlainServerWithTLSTimesOutWithAHint() throws {
        let s = try RedisServer.shared.get()
        let r = try Cachectl.run(["--tls", "--insecure", "--timeout", "500ms", "-p", "\(s.port)", "health"])
        XCTAssertEqual(r.exitCode, 75, r.stderr)
        XCTAssertTrue(r.stderr.contains("does the server speak TLS"), r.stderr)
    }
}
