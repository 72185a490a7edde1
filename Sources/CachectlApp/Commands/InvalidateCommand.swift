import CacheOps
import CLI
import RedisClient

/// `cachectl invalidate`: checks everything that can be checked before connecting (a
/// malformed --keys-from file exits 65 having deleted nothing), asks, runs, reports,
/// publishes the event.
enum InvalidateCommand {
    static func run(_ context: CommandContext) throws -> ExitCode {
        let options = context.options
        let output = context.output
        let request = try makeRequest(context)
        let named = NamedKeys(explicit: options[InvalidateOptions.key], list: try keyList(context))
        guard !request.patterns.isEmpty || !named.isEmpty || !request.tags.isEmpty else {
            guard options[InvalidateOptions.keysFrom] != nil else {
                throw context.usageError("nothing to invalidate: give a PATTERN, --key, --keys-from or --tag")
            }
            // An empty list is a pipeline that found nothing (`keys list 'x:*' -0 |
            // invalidate --keys-from - -0`): nothing to do, not a mistake. No server needed.
            output.notice("--keys-from gave no keys: nothing to invalidate")
            var summary = InvalidationSummary()
            summary.dryRun = request.dryRun
            try output.present(json: InvalidationRenderer.json(summary, request: request).serialized(),
                               text: InvalidationRenderer.table(summary, request: request))
            return .success
        }

        let connection = try context.connectRouted()
        let scope = KeyScope(prefix: connection.config.keyPrefix)
        // A dry run deletes nothing, so it never needs --force.
        if !request.dryRun, !options[InvalidateOptions.force],
           let everything = request.patterns.first(where: { GlobPattern(scope.pattern($0)).matchesEverything }) {
            throw Failure("pattern '\(quotedKey(everything))' matches every key in the database; add --force if you mean it",
                          exitCode: .usage, hint: "try --dry-run first, or narrow the pattern ('dash:*')")
        }
        try Confirmation.requireUnlessDryRun(request.dryRun, context: context, yes: InvalidateOptions.yes) {
            try confirmationQuestion(request, named: named, connection: connection, output: output)
        }
        Signals.recordInterrupts()
        if request.pacing.isAdaptive { BatchScheduling.enter() }
        var progress = ProgressLine(options: options, output: output)
        let summary = Invalidation.run(on: connection, scope: scope, request: request, keys: named,
                                       shouldStop: { Signals.pending != nil }) { p in
            progress.update(InvalidationRenderer.progress(p))
        }
        progress.finish()

        // The keys are gone whatever happens next: publish the event first, then report
        // the run with its outcome (the JSON summary carries the error and exit code),
        // then fail with the first error.
        var failure: Failure?
        if let error = summary.failure {
            var stop = context.failure(error)
            stop.hint = InvalidationRenderer.advice(error).hint
            failure = stop
        } else if let channel = options[InvalidateOptions.publish], !request.dryRun {
            do {
                for event in InvalidationRenderer.events(summary, request: request, named: named) {
                    let receivers = try Invalidation.publish(on: connection.seed, channel: channel, message: Array(event.serialized().utf8))
                    output.debug("published to \(receivers) subscriber\(receivers == 1 ? "" : "s"): \(event.serialized())")
                }
            } catch {
                failure = context.failure(error)
            }
        }
        let interrupted = summary.stop == .requested ? Signals.exitCode(for: Signals.pending ?? 2) : nil
        let exitCode = failure?.exitCode ?? interrupted ?? .success
        try output.present(json: InvalidationRenderer.json(summary, request: request, failure: failure, exitCode: exitCode).serialized(),
                           text: InvalidationRenderer.table(summary, request: request))
        if let failure { throw failure }
        if let interrupted {
            output.warn("stopped before the end; run the same command again to finish")
            return interrupted
        }
        return .success
    }

    private static func makeRequest(_ context: CommandContext) throws -> InvalidationRequest {
        let options = context.options
        var request = InvalidationRequest()
        request.patterns = context.parsed.arguments.map(\.bytes)
        typealias I = InvalidateOptions
        request.tags = options[I.tag]
        if let format = options[I.tagKey] {
            guard request.tags.isEmpty == false else { throw context.usageError("--tag-key needs --tag") }
            guard format.firstRange(of: InvalidationRequest.tagPlaceholder) != nil else {
                throw context.usageError("--tag-key must contain {tag} where the tag name goes (tags:{tag})")
            }
            request.tagKeyFormat = format
        }
        if let format = options[I.memberKey] {
            guard request.tags.isEmpty == false else { throw context.usageError("--member-key needs --tag") }
            guard KeyTemplate.contains(format, InvalidationRequest.memberPlaceholder) else {
                throw context.usageError("--member-key must contain {member} where the member goes (session:{member})")
            }
            request.memberKeyFormat = format
        }
        request.dryRun = options[I.dryRun]
        request.sampleSize = options[I.sample]
        let scan = try KeysCommand.scanRequest(context, limit: options[I.limit])
        request.type = scan.type
        // Sizes adapt to the server's load unless given; the table bounds every number here.
        request.scanCount = options[KeysOptions.scanCount]
        request.limit = scan.limit
        request.batchSize = options[I.batch]
        request.unthrottled = options[I.noThrottle]
        if let rate = options[I.rate] { request.rate = rate }
        if let ms = options[I.maxLatencyMs] { request.latencyBudget = .milliseconds(ms) }
        if options[I.null] && options[I.keysFrom] == nil {
            throw context.usageError("-0 describes the --keys-from input; give --keys-from too")
        }
        return request
    }

    /// The --keys-from list, read whole and checked before anything else happens.
    private static func keyList(_ context: CommandContext) throws -> KeyList? {
        guard let path = context.options[InvalidateOptions.keysFrom] else { return nil }
        let data = try InputFile.readAll(path)
        let format: KeyList.Format = context.options[InvalidateOptions.null] ? .nulSeparated : .lines
        do {
            return try KeyList(data, format: format)
        } catch {
            let name = path == "-" ? "stdin" : path
            let unit = format == .lines ? "line" : "record"
            throw Failure("malformed --keys-from \(name): \(unit) \(error.record): \(error.reason); nothing was deleted",
                          exitCode: .dataError)
        }
    }

    private static func confirmationQuestion(_ request: InvalidationRequest, named: NamedKeys,
                                             connection: RoutedClient, output: Output) throws -> String {
        var what: [String] = []
        if !request.patterns.isEmpty {
            what.append("the keys matching " + request.patterns.map { "'\(quotedKey($0))'" }.joined(separator: ", "))
        }
        if !named.isEmpty { what.append("\(named.count) named key\(named.count == 1 ? "" : "s")") }
        if !request.tags.isEmpty {
            what.append("the keys tagged " + request.tags.map { "'\(quotedKey($0))'" }.joined(separator: ", "))
        }
        // The size is a courtesy: a user who may not run DBSIZE still gets the question.
        var facts = OptionalFacts()
        let size = try facts.attempt("DBSIZE", provides: "the database size in the prompt") { () throws(RedisError) in
            try Invalidation.databaseSize(on: connection)
        }
        output.warnUnavailable(facts)
        let db = connection.config.database
        return "Delete \(what.joined(separator: " and ")) from db \(db) on \(connection.seed.endpoint)"
            + sizeNote(databaseSize: size, patterns: !request.patterns.isEmpty) + "?"
    }

    /// The database size, said as such: it is not how many keys match, which only a scan
    /// can tell (--dry-run counts them), and a prompt must not pass one off as the other.
    static func sizeNote(databaseSize: Int?, patterns: Bool) -> String {
        var notes: [String] = []
        if let size = databaseSize { notes.append("the database holds \(size) key\(size == 1 ? "" : "s")") }
        if patterns { notes.append("--dry-run counts the matches") }
        return notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")"
    }
}

/// `--key` values followed by the `--keys-from` list, read lazily.
struct NamedKeys: Sequence {
    let explicit: [[UInt8]]
    let list: KeyList?

    var count: Int { explicit.count + (list?.count ?? 0) }
    var isEmpty: Bool { count == 0 }

    func makeIterator() -> Iterator {
        Iterator(explicit: explicit.makeIterator(), list: list?.makeIterator())
    }

    struct Iterator: IteratorProtocol {
        var explicit: IndexingIterator<[[UInt8]]>
        var list: KeyList.Iterator?

        mutating func next() -> [UInt8]? {
            if let key = explicit.next() { return key }
            return list?.next()
        }
    }
}
