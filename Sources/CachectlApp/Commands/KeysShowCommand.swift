import CacheOps
import CLI
import RedisClient

/// `cachectl keys show KEY…`: one look at each key, bounded however large its value.
enum KeysShowCommand {
    static func run(_ context: CommandContext) throws -> ExitCode {
        let keys = context.parsed.arguments.map(\.bytes)
        guard !keys.isEmpty else { throw context.usageError("'keys show' needs at least one KEY") }
        let options = context.options
        let bytes = options[KeysOptions.bytes]
        let items = options[KeysOptions.items]
        let connection = try context.connectRouted()
        let scope = KeyScope(prefix: connection.config.keyPrefix)
        let output = context.output
        var facts = OptionalFacts()
        var missing = 0
        var blocks = 0
        for key in keys {
            guard let details = try KeyShow.inspect(key, on: connection, scope: scope,
                                                    options: KeyShowOptions(bytes: bytes, items: items), facts: &facts) else {
                missing += 1
                if output.json, !(try output.streamLine(KeysShowRenderer.missingJSON(key).serialized())) { break }
                output.notice("\(quotedKey(key)) does not exist")
                continue
            }
            // What a key holds is the result (`cachectl keys show k -q` still prints it).
            if output.json {
                // One NDJSON line per key: a failure on a later key is one more line.
                guard try output.streamLine(KeysShowRenderer.json(details).serialized()) else { break }
            } else {
                try output.result((blocks > 0 ? "\n" : "") + KeysShowRenderer.text(details))
            }
            blocks += 1
        }
        output.warnUnavailable(facts)
        return missing > 0 ? .no : .success
    }
}
