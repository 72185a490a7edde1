extension CommandSpec {
    static let session = CommandSpec(
        "session",
        summary: "list or revoke a user's sessions through the per-user index",
        discussion: """
        Applications that keep one key per session (session:{id}) and, per user, a set of \
        that user's session ids (session:user:{user}) can revoke every session of a user at \
        once, on a password change or a role revocation. --session-key and --index-key \
        name other layouts; --prefix applies to both. Because a command's own --user names \
        the application's user here, give an ACL user through REDIS_USERNAME or the URL \
        (redis://name@host).
        """,
        subcommands: [.sessionList, .sessionRevoke],
        examples: [
            Example("cachectl session list --user 7", "user 7's sessions and how long each has left"),
            Example("cachectl session revoke --user 7 --yes", "log user 7 out everywhere and tell the application nodes"),
        ])

    static let sessionList = CommandSpec(
        "list",
        summary: "the sessions named in a user's index, with their TTLs",
        discussion: """
        Reads the user's index set (SSCAN) and each session key's TTL. A session whose key \
        is gone (expired, but still named by the index) is shown as gone. --json prints \
        {"userId","index","sessions":[{"sessionId","key","exists","ttlMs"}]}.
        """,
        options: [SessionOptions.listUser.spec, SessionOptions.sessionKey.spec, SessionOptions.indexKey.spec],
        examples: [Example("cachectl session list --user 7 --json", "as one JSON document")],
        id: .sessionList)

    static let sessionRevoke = CommandSpec(
        "revoke",
        summary: "delete every session of a user (or the named sessions) and publish the event",
        discussion: """
        With --user, deletes every session key the user's index names and takes each id out \
        of the index with it (one MULTI/EXEC; key before id on a cluster), so the index \
        disappears when it is empty and is never deleted wholesale: a session the \
        application adds meanwhile is either revoked too or stays listed, never orphaned. \
        With --session, deletes those sessions (and takes them out of --user's index when \
        it is given).

        Then publishes what applications expect on sessions:invalidate (--publish CHANNEL \
        for another, --no-publish for none): {"type":"user","userId":7} for a user (the id \
        is a JSON number when it is an integer) and {"type":"session","sessionId":"..."} \
        for each named session.

        On a terminal it asks first; without one it needs --yes. --dry-run lists what \
        would go and changes nothing. Nothing to revoke is not an error (exit 0).
        """,
        options: [SessionOptions.revokeUser.spec, SessionOptions.session.spec, SessionOptions.sessionKey.spec,
                  SessionOptions.indexKey.spec, SessionOptions.publish.spec, SessionOptions.noPublish.spec,
                  SessionOptions.dryRun.spec, SessionOptions.yes.spec],
        examples: [
            Example("cachectl session revoke --user 7 --dry-run", "what a revocation would delete"),
            Example("cachectl session revoke --session 3f2a... --yes --no-publish", "one session, quietly"),
        ],
        id: .sessionRevoke)
}

/// The options of the session subcommands, each declared once. `--user` here is the
/// application's user id: a command option owns its long name over the global `--user`
/// (the ACL user), which these commands take from REDIS_USERNAME or the URL instead.
public enum SessionOptions {
    public static let listUser = Option<[UInt8]?>.bytes("user", valueName: "ID", help: "the application's user id").required()
    public static let revokeUser = Option<[UInt8]?>.bytes("user", valueName: "ID", help: "revoke every session of this user")
    public static let session = Option<[[UInt8]]>.repeatedBytes("session", valueName: "SID", help: "revoke this session")
    public static let sessionKey = Option<[UInt8]?>.bytes("session-key", valueName: "TEMPLATE", absent: "session:{id}",
                                                          help: "a session's key, {id} standing for its id")
    public static let indexKey = Option<[UInt8]?>.bytes("index-key", valueName: "TEMPLATE", absent: "session:user:{user}",
                                                        help: "a user's index set, {user} standing for the user id")
    /// Given alone it names no channel (nil): the command publishes on sessions:invalidate.
    public static let publish: Option<[UInt8]?> = {
        let spec = OptionSpec("publish", value: .string, valueName: "[CHANNEL]", help: "channel for the event",
                              defaultText: "sessions:invalidate", optionalValue: true)
        return Option(spec: spec) { $0.arguments(of: spec).last?.bytes }
    }()
    public static let noPublish = Option.flag("no-publish", help: "publish no event")
    public static let dryRun = Option.flag("dry-run", help: "show what would be revoked; change nothing")
    public static let yes = Option.flag("yes", short: "y", help: "revoke without asking (required when stdin is not a terminal)")
}
