import CacheOps
import CLI
import RedisClient

/// `cachectl cache get|set`: cache-aside on plain string keys (`cache fetch` is
/// CacheFetchCommand).
enum CacheCommand {
    static let maxValueBytes = CacheOptions.maxValueBytes

    static func get(_ context: CommandContext) throws -> ExitCode {
        let key = try self.key(context)
        let connection = try context.connectRouted()
        let full = connection.config.keyPrefix + key
        let output = context.output
        let entry = try readString(connection, full, withTTL: output.json)
        if output.json {
            try output.result(CacheRenderer.getJSON(key: key, entry: entry).serialized())
        } else if let entry {
            try Output.check(writeStdoutChecked(bytes: entry.value))
        }
        if entry == nil { output.notice("\(quotedKey(key)) is not cached") }
        return entry == nil ? .no : .success
    }

    static func set(_ context: CommandContext) throws -> ExitCode {
        let key = try self.key(context)
        let options = context.options
        let ttl = options[CacheOptions.setTTL]
        let noTTL = options[CacheOptions.noTTL]
        if noTTL && ttl != nil { throw context.usageError("--ttl and --no-ttl exclude each other") }
        if ttl == nil && !noTTL {
            throw context.usageError("'cache set' needs --ttl: nothing is cached forever by default",
                                     hint: "give --ttl DURATION, or --no-ttl to store without expiry on purpose")
        }
        let arguments = context.parsed.arguments
        let value: [UInt8]
        if arguments.count < 2 || arguments[1].bytes == [UInt8(ascii: "-")] {
            // Without VALUE on a terminal nobody is piping anything: say so rather than wait.
            if arguments.count < 2 && Terminal.isTTY(0) {
                throw context.usageError("'cache set' needs a VALUE, or - with the value on standard input")
            }
            value = try InputFile.readAll("-")
        } else {
            value = arguments[1].bytes
        }
        guard value.count <= maxValueBytes else {
            throw Failure("the value is \(formatBytes(value.count)), above Redis's 512 MB limit for a string", exitCode: .dataError)
        }
        let connection = try context.connectRouted()
        try Cache.set(on: connection, key: connection.config.keyPrefix + key, value: value, ttl: ttl)
        context.output.debug("stored \(value.count) bytes at \(quotedKey(key))" + (ttl.map { " for \(formatDuration($0))" } ?? " without expiry"))
        if context.output.json {
            try context.output.result(CacheRenderer.setJSON(key: key, sizeBytes: value.count, ttlMs: ttl.map(wholeMilliseconds)).serialized())
        }
        return .success
    }

    static func key(_ context: CommandContext) throws -> [UInt8] {
        guard let key = context.parsed.arguments.first?.bytes else { throw context.usageError("a KEY is needed") }
        return key
    }

    /// GET, turning WRONGTYPE into a message naming the key's type (exit 2).
    static func readString(_ connection: RoutedClient, _ key: [UInt8], withTTL: Bool) throws -> CacheEntry? {
        let result: Result<CacheEntry?, RedisError> = Result { () throws(RedisError) in
            try Cache.get(on: connection, key: key, withTTL: withTTL)
        }
        guard case .failure(let error) = result else { return try result.get() }
        guard case .server(let text) = error, text.hasPrefix("WRONGTYPE") else { throw error }
        let type = Cache.typeName(on: connection, key: key) ?? "another type"
        throw Failure("\(quotedKey(key)) holds a \(type), not a cached string value (\(text))", exitCode: .serverError,
                      hint: "cache get reads string values only")
    }
}
