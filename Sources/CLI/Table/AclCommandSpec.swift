extension CommandSpec {
    static let acl = CommandSpec(
        "acl",
        summary: "print the least-privilege ACL SETUSER line for some subcommands (offline)",
        discussion: """
        Prints one ACL SETUSER line that allows the named subcommands (health, keys, \
        invalidate, cache, lock, ratelimit, watch, session, bench) and nothing more: -@all, then each Redis command \
        they send, core and optional; the keys under --prefix (~PREFIX*; without it the \
        subcommands' own namespaces such as lock:*, fence:* and session:*, or every key); \
        the channels watch subscribes to and session revoke publishes on by default, and \
        the --publish channel. It never connects. The line has no password: add >secret, or \
        pipe it to redis-cli and set the password there. The user is --user, else cachectl. \
        The line is for Redis 6.2 and later (and Valkey): --server-version 6.0 leaves out the \
        channel rules (resetchannels, &CHANNEL), which Redis 6.0 refuses and does not need: \
        every user may use every channel there.
        """,
        arguments: [ArgumentSpec("COMMAND", help: "subcommands the user will run: health, keys, invalidate, cache, lock, ratelimit, watch, session, bench",
                                 variadic: true)],
        options: [AclOptions.publish.spec, AclOptions.serverVersion.spec],
        examples: [
            Example("cachectl --user cron --prefix app: acl invalidate lock | redis-cli",
                    "a cron user that may invalidate and lock under app: only"),
            Example("cachectl --prefix app: acl keys invalidate --publish cache:invalidate",
                    "also allow the invalidation event"),
            Example("cachectl acl health --server-version 6.0", "a line Redis 6.0 accepts"),
        ],
        id: .acl)
}

public enum AclOptions {
    public static let serverVersion = Option<String?>.string("server-version", valueName: "MAJOR.MINOR", absent: "6.2",
                                                             help: "the Redis version the line is for: 6.0, 6.2, 7.0 ...")
    public static let publish = Option<[UInt8]?>.bytes("publish", valueName: "CHANNEL",
                                                       help: "allow publishing invalidation events on CHANNEL")
}
