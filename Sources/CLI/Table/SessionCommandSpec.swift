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
        options: [userOption(required: true), sessionKeyOption, indexKeyOption],
        examples: [Example("cachectl session list --user 7 --json", "as one JSON document")])

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
        options: [userOption(required: false),
                  OptionSpec("session", value: .string, valueName: "SID", help: "revoke this session", repeatable: true),
                  sessionKeyOption, indexKeyOption,
                  OptionSpec("publish", value: .string, valueName: "[CHANNEL]",
                             help: "channel for the event (default sessions:invalidate)", optionalValue: true),
                  .flag("no-publish", help: "publish no event"),
                  .flag("dry-run", help: "show what would be revoked; change nothing"),
                  .flag("yes", short: "y", help: "revoke without asking (required when stdin is not a terminal)")],
        examples: [
            Example("cachectl session revoke --user 7 --dry-run", "what a revocation would delete"),
            Example("cachectl session revoke --session 3f2a... --yes --no-publish", "one session, quietly"),
        ])

    private static func userOption(required: Bool) -> OptionSpec {
        OptionSpec("user", value: .string, valueName: "ID",
                   help: required ? "the application's user id" : "revoke every session of this user")
    }

    private static let sessionKeyOption = OptionSpec("session-key", value: .string, valueName: "TEMPLATE",
                                                     help: "a session's key, {id} standing for its id (default session:{id})")
    private static let indexKeyOption = OptionSpec("index-key", value: .string, valueName: "TEMPLATE",
                                                   help: "a user's index set, {user} standing for the user id (default session:user:{user})")
}
