import RESP

/// Connection set-up, pipelined into one round trip: authentication, protocol version,
/// database and client name.
enum Handshake {
    static func perform(on connection: RedisConnection) throws(RedisError) {
        let config = connection.config
        var commands: [[[UInt8]]] = []
        var authIndex: Int?
        if config.resp3 {
            var hello: [[UInt8]] = [b("HELLO"), b("3")]
            if let password = config.password {
                hello += [b("AUTH"), b(config.username ?? "default"), b(password)]
            }
            if let name = config.clientName { hello += [b("SETNAME"), b(name)] }
            authIndex = commands.count
            commands.append(hello)
        } else if let password = config.password {
            authIndex = commands.count
            commands.append(config.username.map { [b("AUTH"), b($0), b(password)] } ?? [b("AUTH"), b(password)])
        } else if let user = config.username {
            // An ACL user without a password: `nopass` users accept any password.
            authIndex = commands.count
            commands.append([b("AUTH"), b(user), b("")])
        }
        let selectIndex = config.database != 0 ? commands.count : nil
        if selectIndex != nil { commands.append([b("SELECT"), b(String(config.database))]) }
        let nameIndex = (!config.resp3 && config.clientName != nil) ? commands.count : nil
        if let name = config.clientName, nameIndex != nil { commands.append([b("CLIENT"), b("SETNAME"), b(name)]) }
        guard !commands.isEmpty else { return }

        let replies = try exchange(commands, on: connection)
        if let i = authIndex, let err = replies[i].errorBytes {
            // An "unknown command" reply echoes the arguments, password included: such text
            // is redacted, and never shown whole for the command that carried credentials.
            let text = connection.redactingSecrets(String(decoding: err, as: UTF8.self))
            if config.resp3 && (text.hasPrefix("ERR unknown command") || text.hasPrefix("NOPROTO")) {
                throw .server("the server does not support RESP3 (HELLO 3 failed); drop --resp3")
            }
            if text.hasPrefix("ERR unknown command") {
                throw .server("the server does not know AUTH: it may not support passwords or ACL users")
            }
            // Only a refusal of who we are is an authentication failure (exit 77); a server
            // that is -LOADING or -BUSY answers HELLO/AUTH like any other command.
            throw explained(RedisError.fromServerReply(text), on: connection)
        }
        if config.resp3 { connection.setProtocolVersion(3) }
        if let i = selectIndex, let err = replies[i].errorBytes {
            let text = connection.redactingSecrets(String(decoding: err, as: UTF8.self))
            let classified = RedisError.fromServerReply(text)
            // A refused SELECT stays a permission error (exit 77, explained with +select);
            // anything else says which database could not be used and why.
            if case .server = classified {
                throw .server("cannot use database \(config.database): \(text)"
                              + (text.lowercased().contains("cluster") ? " (a cluster has database 0 only)" : ""))
            }
            throw explained(classified, on: connection)
        }
        if let i = nameIndex, let err = replies[i].errorBytes {
            // Naming is a courtesy; only an authentication demand is worth stopping for.
            let classified = RedisError.fromServerReply(String(decoding: err, as: UTF8.self))
            if case .authenticationFailed = classified { throw explained(classified, on: connection) }
        }
    }

    /// Sends the handshake's commands in one write and reads their replies. A server that
    /// will not serve this client (at `maxclients`, in protected mode) answers the first
    /// command with an error and closes: that reply is the error, in its words, whichever
    /// command it answered (AUTH, HELLO, SELECT or CLIENT SETNAME), before the read of the
    /// next reply finds the connection closed.
    private static func exchange(_ commands: [[[UInt8]]], on connection: RedisConnection) throws(RedisError) -> [RESPValue] {
        for command in commands { connection.enqueue(command) }
        var replies: [RESPValue] = []
        for _ in commands {
            let reply = try connection.readReply()
            if let err = reply.errorBytes, let said = RedisConnection.partingWords(err) {
                connection.close()
                throw said(connection.endpoint)
            }
            replies.append(reply)
        }
        return replies
    }

    /// A refused login that names the server, the user and where the password came from
    /// (never the password), and what to change: the server's own text names none of them.
    static func explained(_ error: RedisError, on connection: RedisConnection) -> RedisError {
        guard case .authenticationFailed(let text) = error else { return error }
        let config = connection.config
        let user = config.username ?? "default"
        let sources = "REDISCLI_AUTH or REDIS_PASSWORD, the URL (-u or REDIS_URL), or --askpass"
        guard let source = config.passwordSource ?? (config.password != nil ? "the configuration" : nil) else {
            if text.hasPrefix("NOAUTH") {
                return .authenticationFailed("\(connection.endpoint) wants a password for user '\(user)' and none was given (\(text)); "
                                             + "set it with \(sources)")
            }
            return .authenticationFailed("\(connection.endpoint) refused user '\(user)' without a password (\(text)); "
                                         + "check the user name, and set its password with \(sources) if it has one")
        }
        if text.hasPrefix("ERR AUTH") || text.hasPrefix("ERR Client sent AUTH") {
            return .authenticationFailed("\(connection.endpoint) has no password set but one was sent from \(source) (\(text)); "
                                         + "leave it out, or connect to the server you meant")
        }
        return .authenticationFailed("\(connection.endpoint) refused user '\(user)' with the password from \(source) (\(text)); "
                                     + "check the user name (--user, REDIS_USERNAME or the URL) and the password in \(source)")
    }

    private static func b(_ s: String) -> [UInt8] { Array(s.utf8) }
}
