import CacheOps
import CLI
import RedisClient

/// `cachectl session list|revoke`: the per-user session index, as applications keep it.
enum SessionCommand {
    static let defaultChannel = Array("sessions:invalidate".utf8)

    static func list(_ context: CommandContext) throws -> ExitCode {
        guard let user = context.options[SessionOptions.listUser] else { throw context.usageError("--user ID is required") }
        let layout = try self.layout(context)
        let client = try context.connectRouted()
        let listing = try Sessions.list(on: client, scope: KeyScope(prefix: client.config.keyPrefix), layout: layout, user: user)
        let output = context.output
        if output.json {
            try output.result(SessionRenderer.json(listing).serialized())
        } else if !listing.sessions.isEmpty {
            try output.report(SessionRenderer.table(listing))
        }
        // stderr says the same in every mode.
        if listing.sessions.isEmpty {
            output.notice("no sessions for user \(quotedKey(user)): \(quotedKey(listing.indexKey)) is empty or absent")
        }
        return .success
    }

    static func revoke(_ context: CommandContext) throws -> ExitCode {
        let options = context.options
        let output = context.output
        let user = options[SessionOptions.revokeUser]
        let sessions = options[SessionOptions.session]
        guard user != nil || !sessions.isEmpty else { throw context.usageError("give --user ID or --session SID") }
        if options[SessionOptions.noPublish] && options.given(SessionOptions.publish) {
            throw context.usageError("--publish and --no-publish contradict each other")
        }
        let channel = options[SessionOptions.noPublish] ? nil : (options[SessionOptions.publish] ?? defaultChannel)
        let dryRun = options[SessionOptions.dryRun]
        let layout = try self.layout(context)

        let client = try context.connectRouted()
        let scope = KeyScope(prefix: client.config.keyPrefix)
        try Confirmation.requireUnlessDryRun(dryRun, context: context, yes: SessionOptions.yes) {
            try confirmationQuestion(user: user, sessions: sessions, layout: layout, scope: scope, client: client)
        }
        let result: SessionRevocation
        if sessions.isEmpty, let user {
            Signals.recordInterrupts()
            result = try Sessions.revokeUser(on: client, scope: scope, layout: layout, user: user, dryRun: dryRun,
                                             shouldStop: { Signals.pending != nil })
        } else {
            result = try Sessions.revokeSessions(sessions, user: user, on: client, scope: scope, layout: layout, dryRun: dryRun)
        }

        // The sessions are gone whatever happens to the report: publish first, then print,
        // then report a failed publish.
        var publishFailure: Failure?
        if let channel, !dryRun {
            let events = sessions.isEmpty ? user.map { [SessionRenderer.userEvent($0)] } ?? []
                : sessions.map(SessionRenderer.sessionEvent)
            do {
                for event in events {
                    let receivers = try Invalidation.publish(on: client.seed, channel: channel, message: Array(event.serialized().utf8))
                    output.debug("published to \(receivers) subscriber\(receivers == 1 ? "" : "s"): \(event.serialized())")
                }
            } catch {
                publishFailure = context.failure(error)
            }
        }
        let shownUser = sessions.isEmpty ? user : nil
        let interrupted = result.interrupted ? Signals.exitCode(for: Signals.pending ?? 2) : nil
        let exitCode = publishFailure?.exitCode ?? interrupted ?? .success
        try output.present(json: SessionRenderer.revokeJSON(result, user: shownUser, failure: publishFailure, exitCode: exitCode)
                                     .serialized(),
                           text: SessionRenderer.revokeTable(result, user: shownUser))
        if let publishFailure { throw publishFailure }
        return exitCode
    }

    /// The templates, checked: each must say where its id goes.
    static func layout(_ context: CommandContext) throws -> SessionLayout {
        var layout = SessionLayout()
        if let t = context.options[SessionOptions.sessionKey] {
            guard SessionLayout.contains(t, SessionLayout.idPlaceholder) else {
                throw context.usageError("--session-key must contain {id} where the session id goes (session:{id})")
            }
            layout.sessionKeyTemplate = t
        }
        if let t = context.options[SessionOptions.indexKey] {
            guard SessionLayout.contains(t, SessionLayout.userPlaceholder) else {
                throw context.usageError("--index-key must contain {user} where the user id goes (session:user:{user})")
            }
            layout.indexKeyTemplate = t
        }
        return layout
    }

    private static func confirmationQuestion(user: [UInt8]?, sessions: [[UInt8]], layout: SessionLayout,
                                             scope: KeyScope, client: RoutedClient) throws -> String {
        let place = "on \(client.seed.endpoint)"
        guard sessions.isEmpty, let user else {
            return "Revoke \(sessions.count) session\(sessions.count == 1 ? "" : "s") \(place)?"
        }
        let index = scope.key(layout.indexKey(user))
        let size = Sessions.indexSize(index, on: client)
        let sizeText = size.map { " (\($0) in \(quotedKey(layout.indexKey(user))))" } ?? ""
        return "Revoke every session of user \(quotedKey(user))\(sizeText) \(place)?"
    }
}
