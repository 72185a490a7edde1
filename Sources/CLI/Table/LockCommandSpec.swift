extension CommandSpec {
    static let lock = CommandSpec(
        "lock",
        summary: "owner-checked distributed locks",
        discussion: """
        Locks use the layout lock:NAME: the lock NAME payment:123 is the key lock:payment:123 \
        (after --prefix) holding its owner, host:pid:random by default. Every step is one \
        atomic script: a lock is only ever released or extended by its owner, and every \
        lock expires on its own. Each grant also draws a fencing token from the counter \
        fence:{lock:NAME} (PREFIX fence:{PREFIX lock:NAME}: under the prefix and in the \
        lock's cluster slot), which is kept without TTL so tokens never go back. A NAME \
        with a brace outside a complete hash tag is refused.

        --holders N (N > 1) makes NAME a semaphore: at most N owners hold it at once, each \
        with its own expiring, owner-checked lease and fencing token (from the same \
        counter). Waiters (--wait) line up in a FIFO ticket queue, so nobody starves; a \
        waiter that gives up leaves the queue, and one that dies loses its place within 3s. \
        Its keys are semaphore:{lock:NAME}:holders, :queue, :deadlines and :tickets (after \
        --prefix, in the lock's cluster slot), and expire with their last entry. Every user \
        of one NAME must give the same N. --holders 1 (the default) is the mutex above.
        """,
        subcommands: [.lockAcquire, .lockRelease, .lockExtend, .lockStatus, .lockRun],
        examples: [
            Example("owner=$(cachectl lock acquire deploy --ttl 5m) && ./deploy.sh; cachectl lock release deploy --owner \"$owner\"",
                    "take a lock, work, give it back"),
            Example("cachectl lock run deploy --ttl 30s --wait 2m -- ./deploy.sh --prod",
                    "run a command under the lock, renewed while it runs"),
            Example("if cachectl lock status deploy -q; then echo busy; fi", "exit 0 while somebody holds it"),
            Example("cachectl lock run exports --holders 3 --wait 10m -- ./export.sh", "at most three exports at once, served in turn"),
        ])

    static let lockAcquire = CommandSpec(
        "acquire",
        summary: "take a lock and print its owner",
        discussion: """
        Takes the lock with SET NX PX and prints the owner on stdout, for a later release or \
        extend. When somebody else holds it, exits 1 and says on stderr who holds it and for \
        how long; --wait retries with exponential backoff and jitter until the deadline.
        """,
        arguments: [ArgumentSpec("NAME", help: "lock name; the key is lock:NAME")],
        options: [LockOptions.ttl.spec, LockOptions.wait.spec, LockOptions.newOwner.spec, LockOptions.holders.spec],
        examples: [Example("cachectl lock acquire payment:123 --ttl 30s --wait 5s", "wait up to 5s for the lock")],
        id: .lockAcquire)

    static let lockRelease = CommandSpec(
        "release",
        summary: "release a lock held by an owner",
        discussion: """
        Deletes the lock only when --owner holds it; otherwise nothing is touched and the \
        exit code is 1. --force breaks the lock whoever holds it (after showing the holder \
        and asking, or with --yes); it still deletes only the holder it showed.
        """,
        arguments: [ArgumentSpec("NAME", help: "lock name")],
        options: [LockOptions.owner.spec, LockOptions.force.spec, LockOptions.yes.spec, LockOptions.holders.spec],
        examples: [
            Example("cachectl lock release deploy --owner \"$owner\"", "give the lock back"),
            Example("cachectl lock release deploy --force --yes", "on-call: break a stuck lock"),
        ],
        id: .lockRelease)

    static let lockExtend = CommandSpec(
        "extend",
        summary: "replace the TTL of a lock held by an owner",
        discussion: "Sets the lock's remaining time to --ttl when --owner holds it; exits 1 otherwise, touching nothing.",
        arguments: [ArgumentSpec("NAME", help: "lock name")],
        options: [LockOptions.owner.spec, LockOptions.newTTL.spec, LockOptions.holders.spec],
        examples: [Example("cachectl lock extend deploy --owner \"$owner\" --ttl 5m", "five more minutes")],
        id: .lockExtend)

    static let lockStatus = CommandSpec(
        "status",
        summary: "show who holds a lock; exit 0 when held, 1 when free",
        discussion: """
        Prints the holder and the remaining time; --json gives {locked, owner, ttl} (ttl in \
        seconds) plus ttlMs and key. With --holders N, prints each holder with its remaining \
        time and how many wait; exits 0 when all N leases are taken, 1 when one is free; \
        --json gives {locked, holders, limit, waiting, key}, locked meaning full.
        """,
        arguments: [ArgumentSpec("NAME", help: "lock name")],
        options: [LockOptions.holders.spec],
        examples: [Example("cachectl lock status payment:123 --json", "{\"locked\":true,\"owner\":\"node1:1234:abc123\",\"ttl\":25,...}")],
        id: .lockStatus)

    static let lockRun = CommandSpec(
        "run",
        summary: "run a command while holding a lock (flock for Redis)",
        discussion: """
        Acquires the lock (waiting up to --wait), runs COMMAND directly, without a shell, \
        in its own process group, renews the lock every ttl/3 while it runs and releases \
        it when it ends. Exits with the command's status (128+N when signal N ended it). \
        The command's environment gets CACHECTL_LOCK_KEY, CACHECTL_LOCK_OWNER and \
        CACHECTL_LOCK_TOKEN, a fencing token that grows with every grant of the lock. \
        SIGINT, SIGTERM, SIGHUP and SIGQUIT are forwarded to the command's process group.

        When a renewal finds the lock lost (expired, taken by another owner, or the server \
        unreachable until the TTL ran out) or --max-hold passes, the process group gets \
        SIGTERM, then SIGKILL after --kill-after, and cachectl exits with --lost-exit-code \
        (default 3), as it does when the command ended but the final release found the \
        lock gone. When the lock cannot be had the command never runs and the exit code \
        is --conflict-exit-code (default 1). A command that cannot be found exits 127; one \
        that cannot be executed, 126.

        The command cannot outlive the lock, however cachectl ends: should cachectl be \
        killed (SIGKILL included), a watchdog process sends the group SIGTERM at once, \
        then SIGKILL after --kill-after or a tenth of the TTL (at most 1s) before the lock \
        can expire, whichever comes first; the command itself also gets SIGTERM as its \
        parent dies. The lock is not released then: it expires after its TTL.

        On a terminal the command gets the foreground, as a shell job would: it can read \
        the terminal and Ctrl-C reaches it directly. Ctrl-Z (or a background command \
        reading the terminal) stops the command and cachectl with it, and fg or bg resume \
        both. A stopped job is not renewed: resumed after its TTL ran out, it finds the \
        lock lost and is ended (--lost-exit-code) before it runs again.
        """,
        arguments: [ArgumentSpec("NAME", help: "lock name")],
        options: [LockOptions.runTTL.spec, LockOptions.wait.spec, LockOptions.maxHold.spec, LockOptions.killAfter.spec,
                  LockOptions.conflictExitCode.spec, LockOptions.lostExitCode.spec, LockOptions.holders.spec],
        examples: [
            Example("cachectl lock run nightly-report --ttl 1m -- ./report.sh", "skip the run when another host has it"),
            Example("cachectl lock run db-migrate --wait 10m --max-hold 1h -- make migrate", "queue up, but never hold it past an hour"),
        ],
        passthrough: true,
        id: .lockRun)
}

/// The options of the lock subcommands, each declared once.
public enum LockOptions {
    public static let ttl = Option<Duration>.duration("ttl", default: .seconds(30), range: .atLeast(.milliseconds(1)),
                                                      help: "how long the lock lives unless renewed")
    /// `lock run` renews every ttl/3: a shorter lease would be all renewal.
    public static let runTTL = Option<Duration>.duration("ttl", default: .seconds(30), range: .atLeast(.milliseconds(100)),
                                                         help: "how long the lock lives unless renewed (every ttl/3)")
    /// `lock extend --ttl`: required there, so without a default.
    public static let newTTL = Option<Duration?>.duration("ttl", range: .atLeast(.milliseconds(1)), help: "new remaining time")
    public static let wait = Option<Duration?>.duration("wait", absent: "one try",
                                                        help: "keep trying this long when the lock is held")
    public static let newOwner = Option<[UInt8]?>.bytes("owner", valueName: "ID", absent: "host:pid:random",
                                                        help: "owner to record")
    public static let owner = Option<[UInt8]?>.bytes("owner", valueName: "ID", help: "the owner that acquire printed")
    public static let force = Option.flag("force", help: "break the lock whoever holds it (asks, or needs --yes)")
    public static let yes = SharedOptions.yes
    /// N > 1 makes NAME a semaphore (`Semaphores`); 1 is the mutex with its `lock:NAME` key.
    public static let holders = Option<Int>.count("holders", valueName: "N", default: 1, range: .atLeast(1),
                                                  help: "a semaphore: at most N holders at once (1: a mutex)")
    public static let maxHold = Option<Duration?>.duration("max-hold", range: .atLeast(.milliseconds(1)),
                                                           help: "stop the command after holding the lock this long")
    public static let killAfter = Option<Duration>.duration("kill-after", default: .seconds(5),
                                                            help: "SIGKILL this long after SIGTERM")
    public static let conflictExitCode = Option<Int>.count("conflict-exit-code", valueName: "CODE", default: 1,
                                                           range: Bounds(0...255),
                                                           help: "exit code when the lock is held by another owner")
    public static let lostExitCode = Option<Int>.count("lost-exit-code", valueName: "CODE", default: 3, range: Bounds(0...255),
                                                       help: "exit code when the lock was lost or --max-hold passed")
}
