#if canImport(Glibc)
import Glibc
#endif

/// Owner identities in the `node1:1234:abc123` shape applications use: host, process id and a
/// random suffix, so two processes (or a reused pid) never share an identity.
public enum LockOwner {
    /// `host:pid:random` for this process.
    public static func generate() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return make(host: hostName(), pid: Int(getpid()), using: &generator)
    }

    static func make(host: String, pid: Int, using generator: inout some RandomNumberGenerator) -> [UInt8] {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        let suffix = (0..<6).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return Array("\(host):\(pid):".utf8) + suffix
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        let name = String(decoding: bytes, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }
}
