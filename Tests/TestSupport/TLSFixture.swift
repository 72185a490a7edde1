import Foundation

/// Certificates made with the `openssl` command at test time, and TLS redis-servers that
/// use them: a good server, one whose certificate has expired, one whose certificate names
/// another host, and one that demands client certificates (mutual TLS).
public final class TLSFixture: @unchecked Sendable {
    public let directory: URL
    public let good: RedisServer
    public let expired: RedisServer
    public let wrongName: RedisServer
    public let mutual: RedisServer

    public var caFile: String { path("ca.pem") }
    public var clientCertFile: String { path("client.pem") }
    public var clientKeyFile: String { path("client.key") }

    public static let shared: Result<TLSFixture, Error> = Result { try TLSFixture() }

    private init() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cachectl-tls-\(getpid())")
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try Self.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                          "-days", "30", "-subj", "/CN=cachectl test CA"], in: directory)
        try Self.issue("server", cn: "localhost", san: "DNS:localhost,IP:127.0.0.1", days: "30", in: directory)
        try Self.issue("expired", cn: "localhost", san: "DNS:localhost,IP:127.0.0.1", days: "-1", in: directory)
        try Self.issue("wrongname", cn: "wrong.example", san: "DNS:wrong.example", days: "30", in: directory)
        try Self.issue("dnsonly", cn: "localhost", san: "DNS:localhost", days: "30", in: directory)
        try Self.issue("client", cn: "cachectl client", san: nil, days: "30", in: directory)

        func tlsArgs(_ name: String, authClients: String) -> [String] {
            ["--tls-cert-file", directory.appendingPathComponent("\(name).pem").path,
             "--tls-key-file", directory.appendingPathComponent("\(name).key").path,
             "--tls-ca-cert-file", directory.appendingPathComponent("ca.pem").path,
             "--tls-auth-clients", authClients]
        }
        good = try RedisServer.start(tls: true, extraArguments: tlsArgs("server", authClients: "no"))
        expired = try RedisServer.start(tls: true, extraArguments: tlsArgs("expired", authClients: "no"))
        wrongName = try RedisServer.start(tls: true, extraArguments: tlsArgs("wrongname", authClients: "no"))
        mutual = try RedisServer.start(tls: true, extraArguments: tlsArgs("server", authClients: "yes"))
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// redis-server settings for a TLS-only node whose certificate names `localhost` only
    /// (no IP address), as managed clusters' certificates name a host, not each node's IP.
    public var dnsOnlyServerArguments: [String] {
        ["--tls-cert-file", path("dnsonly.pem"), "--tls-key-file", path("dnsonly.key"),
         "--tls-ca-cert-file", path("ca.pem"), "--tls-auth-clients", "no"]
    }

    private static func issue(_ name: String, cn: String, san: String?, days: String, in dir: URL) throws {
        try openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(name).key", "-out", "\(name).csr",
                     "-subj", "/CN=\(cn)"], in: dir)
        var args = ["x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", "\(name).pem", "-days", days]
        if let san {
            let ext = dir.appendingPathComponent("\(name).ext")
            try "subjectAltName=\(san)\n".write(to: ext, atomically: true, encoding: .utf8)
            args += ["-extfile", ext.path]
        }
        try openssl(args, in: dir)
    }

    private static func openssl(_ args: [String], in dir: URL) throws {
        guard let binary = findExecutable("openssl") else { throw RedisServer.StartError.didNotStart("openssl is not installed") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.currentDirectoryURL = dir
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw RedisServer.StartError.didNotStart("openssl \(args.joined(separator: " ")) failed")
        }
    }
}
