import CacheOps

/// Builds `ACL SETUSER <user> on resetkeys resetchannels -@all +cmd… ~PREFIX* &CHANNEL`
/// for some subcommands: the least a user needs to run them, as redis-cli input.
struct AclLine: Equatable {
    var user: String
    var commands: [String]
    var keyPatterns: [String]
    var channels: [String]
    /// Said on stderr: the line is wider than it could be.
    var notes: [String]
    /// Channel rules (`resetchannels`, `&CHANNEL`) arrived in Redis 6.2; 6.0 refuses them.
    var channelRules = true

    init(user: String, subcommands: [String], prefix: [UInt8], channel: [UInt8]?, database: Int) {
        self.user = user
        var commands: [String] = []
        func add(_ list: [String]) { for c in list where !commands.contains(c) { commands.append(c) } }
        var namespaces: [String] = []
        var everyKey = false
        var notes: [String] = []
        var channels: [String] = []
        for name in AclRequirements.names where subcommands.contains(name) {
            guard let req = AclRequirements.of(name) else { continue }
            add(req.core)
            add(req.optional)
            if let ns = req.namespaces {
                for n in ns where !namespaces.contains(n) { namespaces.append(n) }
            } else {
                everyKey = true
            }
            for c in req.channels where !channels.contains(c) { channels.append(c) }
        }
        // Subcommands that touch no key (health, watch) need no key rule at all.
        let keyless = subcommands.allSatisfy { AclRequirements.of($0)?.namespaces == [] }
        add(AclRequirements.connection)
        if database != 0 { add(["select"]) }
        self.commands = commands
        let escapedPrefix = String(decoding: GlobPattern.escape(prefix), as: UTF8.self)
        if !prefix.isEmpty {
            keyPatterns = [escapedPrefix + "*"]
        } else if everyKey || namespaces.isEmpty {
            keyPatterns = namespaces.isEmpty || everyKey ? ["*"] : namespaces
            if !keyless {
                notes.append("no --prefix: the user may touch every key; give --prefix to scope it")
            }
        } else {
            keyPatterns = namespaces
        }
        if keyless { keyPatterns = [] }
        channels = channels.map { String(decoding: GlobPattern.escape(Array($0.utf8)), as: UTF8.self) }
        if let channel {
            let escaped = String(decoding: GlobPattern.escape(channel), as: UTF8.self)
            if !channels.contains(escaped) { channels.append(escaped) }
        }
        self.channels = channels
        if channel != nil && !subcommands.contains("invalidate") && !subcommands.contains("session") {
            notes.append("--publish is only used by invalidate and session revoke")
        }
        self.notes = notes
    }

    /// One line; arguments redis-cli would split are double-quoted.
    var text: String {
        var words = ["ACL", "SETUSER", user, "on", "resetkeys"] + (channelRules ? ["resetchannels"] : []) + ["-@all"]
        words += commands.map { "+" + $0 }
        words += keyPatterns.map { "~" + $0 }
        if channelRules { words += channels.map { "&" + $0 } }
        return words.map(Self.quoted).joined(separator: " ")
    }

    /// As redis-cli's argument splitter reads it: plain when it holds no space, quote or
    /// control byte; otherwise in double quotes with backslash escapes.
    static func quoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { s in
            s.value > 0x20 && s.value != 0x7F && s != "\"" && s != "'" && s != "\\"
        }
        if plain { return word }
        var out = "\""
        for byte in word.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += "\\\""
            case UInt8(ascii: "\\"): out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16)
                out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out + "\""
    }
}
