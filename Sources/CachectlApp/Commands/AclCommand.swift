import CLI

/// `cachectl acl COMMAND…`: the least-privilege ACL SETUSER line, printed without
/// connecting (the operator pipes it to redis-cli, or reviews it first).
enum AclCommand {
    static func run(_ context: CommandContext) throws -> ExitCode {
        let names = context.parsed.arguments.map { String(decoding: $0.bytes, as: UTF8.self) }
        guard !names.isEmpty else {
            throw context.usageError("name the subcommands the user will run: "
                                     + AclRequirements.names.joined(separator: ", "))
        }
        for name in names where AclRequirements.of(name) == nil {
            throw context.usageError("'\(name)' is not a subcommand that talks to Redis; choose from "
                                     + AclRequirements.names.joined(separator: ", "))
        }
        let options = context.options
        let user = options[GlobalOptions.user] ?? "cachectl"
        guard !user.isEmpty else { throw context.usageError("--user must not be empty") }
        let prefix = options[GlobalOptions.prefix] ?? Array((context.environment["REDIS_KEY_PREFIX"] ?? "").utf8)
        var line = AclLine(user: user, subcommands: names, prefix: prefix, channel: options[AclOptions.publish],
                           database: options[GlobalOptions.db] ?? 0)
        if let version = options[AclOptions.serverVersion] {
            let words = version.split(separator: ".", omittingEmptySubsequences: false)
            let numbers = words.compactMap { Int($0) }
            guard numbers.count == words.count, (1...3).contains(numbers.count), let major = numbers.first else {
                throw context.usageError("--server-version takes a version such as 6.0 or 7.2, not '\(version)'")
            }
            let minor = numbers.dropFirst().first ?? 0
            guard (major, minor) >= (6, 0) else {
                throw context.usageError("ACL users arrived in Redis 6.0; version \(version) has none (use requirepass)")
            }
            if (major, minor) < (6, 2) {
                line.channelRules = false
                if !line.channels.isEmpty {
                    line.notes.append("Redis \(major).\(minor) has no channel rules: the user may use every channel")
                }
            }
        }
        for note in line.notes { context.output.warn(note) }
        // The line is the result a script pipes to redis-cli: printed under --quiet too.
        try context.output.result(!context.output.json ? line.text : JSONValue.object([
            ("user", .string(user)), ("subcommands", .array(names.map(JSONValue.string))),
            ("acl", .string(line.text)), ("notes", .array(line.notes.map(JSONValue.string))),
        ]).serialized())
        return .success
    }
}
