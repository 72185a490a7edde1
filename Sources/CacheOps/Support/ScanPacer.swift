import RedisClient

/// The pacing one node's SCAN walk follows: a `PacingController` fed by a
/// `ServerLoadProbe` on a connection of its own to that node, plus the tallies of what the
/// walk sent. Every SCAN loop (invalidation, tag SSCANs, `keys`, `ratelimit reset --ip`)
/// asks `plan` for its sizes and calls `adapt` between writes; on a cluster each primary
/// gets its own, so each is paced on its own load.
public struct ScanPacer {
    public private(set) var controller: PacingController
    private var probe: ServerLoadProbe?
    private var scans = 0
    private var scanUnits = 0

    public var plan: PacingController.Plan { controller.plan }
    /// Pacing was wanted but the node refused the probe (its connection or INFO), at the
    /// start or midway: sizes stay at (or go back to) the gentle start.
    public private(set) var blind = false

    /// Opens the probe connection only when sizes are left to adapt; a node that refuses
    /// it (or INFO) keeps the controller's gentle start.
    public init(node: RedisConnection, settings: PacingController.Settings) {
        controller = PacingController(settings)
        guard settings.isAdaptive else { return }
        guard let connection = try? RedisConnection.connect(node.config) else {
            blind = true
            return
        }
        var probe = ServerLoadProbe(connection: connection)
        controller.start(otherOpsPerSecond: probe.startingLoad())
        blind = probe.refused
        self.probe = probe
    }

    /// Fixed sizes and no probe: for callers that pace nothing.
    public init(fixed settings: PacingController.Settings) {
        controller = PacingController(settings)
    }

    /// Records a SCAN about to be sent with `plan.scanCount`; returns that count.
    public mutating func scanSent() -> Int {
        scans += 1
        scanUnits += plan.scanCount
        return plan.scanCount
    }

    /// Between writes: folds in a new server reading when one is due and waits out any
    /// pause the controller asks for. `commandsSent`/`keysSent`: the walk's other commands
    /// (deletions) so far. False when `shouldStop` cut a pause short.
    public mutating func adapt(commandsSent: Int = 0, keysSent: Int = 0, shouldStop: () -> Bool) -> Bool {
        guard var p = probe else { return true }
        let sample = p.sampleIfDue(units: scanUnits + keysSent, scanUnits: scanUnits, commands: scans + commandsSent)
        probe = p
        if p.refused {
            // The probe failed midway (INFO revoked, its connection timed out or dropped):
            // without readings the sizes cannot follow the load, so the rest of the walk
            // goes at the gentle start's sizes, and the summary says so.
            blind = true
            probe = nil
            controller.lostSight()
            return true
        }
        guard let sample else { return true }
        controller.observe(sample)
        let pause = controller.plan.pauseMicroseconds
        guard pause > 0 else { return true }
        return Pause.until(ContinuousClock.now + .microseconds(pause), shouldStop: shouldStop)
    }
}
