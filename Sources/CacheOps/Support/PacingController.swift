import RESP

/// How big our next commands may be so that other clients barely feel them: a pure state
/// machine, fed with what the server reported, that the SCAN walks and deletion loops ask
/// before each write. No I/O here (see `ServerLoadProbe`), so every rule is unit-tested.
///
/// Redis runs one command at a time, and in one turn of its event loop it runs every command
/// a client has waiting in its socket: another client's command that arrives meanwhile waits
/// for all of them. So while other clients are active, one write is in flight (a SCAN page
/// plus the deletions of the page before), sized to take about `budget` of server time from
/// the measured server time per unit of work (a key examined by SCAN or deleted) and the
/// measured share of scanned keys that are deleted. One write, not two halves: a second
/// write would mostly join the first in the same turn, adding nothing for the others but a
/// wakeup of ours per half (measured at 0.1 ms as a batch process: other clients' p99 1.4x
/// vs 1.5x idle, the job 4.9x vs 3.1x its time alone). While no one
/// else is using the server the sizes double back up to the idle ceiling with two writes in
/// flight: then speed is all that matters.
public struct PacingController: Sendable {
    public struct Settings: Sendable, Equatable {
        /// The default of `--max-latency-ms`, the one place it is set (the table's help text
        /// repeats it, checked by a test). 0.15 ms: with `scripts/bench-gentleness` on two cores
        /// (medians), 0.1 ms left the job under load at 3.1x its time alone and 0.2 ms let other
        /// clients' p99 reach 2.5x idle; 0.15 ms gave 2.35x and 2.05x.
        public static let defaultBudget: Duration = .microseconds(150)
        /// Server time all our commands in flight may take together while others are active
        /// (`--max-latency-ms`): the most another client waits behind us in one turn.
        public var budgetMicroseconds = defaultBudget.inMilliseconds * 1000
        /// Sizes on an idle server, and the most ever used (SCAN COUNT and keys per UNLINK).
        public var ceiling = 1000
        /// The least: below this a command's own overhead dominates its work.
        public var floor = 16
        /// `--count` and `--batch`: fixed sizes, never adapted.
        public var fixedCount: Int?
        public var fixedBatch: Int?
        /// Writes in flight while others are active; together they stay in budget.
        public var busyDepth = 1
        /// `--no-throttle`: the idle ceiling whatever the load.
        public var unthrottled = false
        /// Other clients' commands a second above which the server counts as in use.
        public var busyOpsPerSecond = 100.0
        /// A pause when our work became this many times dearer than on the idle server
        /// (the server is starved of CPU): the others get the server for one `pauseLength`.
        public var starvedFactor = 4.0
        public var pauseMicroseconds = 20_000.0

        public init() {}

        /// Sizes are left to adapt: not `--no-throttle`, and not both sizes fixed.
        public var isAdaptive: Bool { !unthrottled && (fixedCount == nil || fixedBatch == nil) }
    }

    /// What the next write may carry.
    public struct Plan: Sendable, Equatable {
        public var scanCount: Int
        public var batchSize: Int
        /// Writes (SCAN page plus deletions) in flight at once.
        public var depth: Int
        /// Wait this long before the next write.
        public var pauseMicroseconds: Double
    }

    /// One interval of what the server reported (INFO stats and commandstats deltas) and
    /// what we sent during it.
    public struct Sample: Sendable, Equatable {
        public var elapsedMicroseconds: Double
        /// Server time spent in SCAN/SSCAN/UNLINK/DEL/EXISTS (`cmdstat_*:usec`).
        public var serverMicroseconds: Double
        /// Keys our SCANs were asked to examine (COUNT) plus keys our deletions named.
        public var units: Int
        /// The part of `units` that SCANs were asked to examine; the rest were deletions.
        public var scanUnits: Int
        /// Commands the server processed, minus ours.
        public var otherCommands: Double

        public init(elapsedMicroseconds: Double, serverMicroseconds: Double, units: Int, scanUnits: Int,
                    otherCommands: Double) {
            self.elapsedMicroseconds = elapsedMicroseconds
            self.serverMicroseconds = serverMicroseconds
            self.units = units
            self.scanUnits = scanUnits
            self.otherCommands = otherCommands
        }
    }

    public let settings: Settings
    public private(set) var plan: Plan
    /// Server microseconds per unit of work, smoothed (for the starvation check); nil until measured.
    public private(set) var costPerUnit: Double?
    /// The cheapest cost seen: the server's idle speed.
    public private(set) var idleCost: Double?
    public private(set) var othersActive = false
    /// Whether any interval of this job saw other clients. Until one does, the gentle start
    /// rests only on INFO's recent-ops figure, which lags by a second or two (a bulk load
    /// that just ended still shows), so the first quiet interval goes straight to full speed.
    public private(set) var othersSeen = false
    /// Units one write carries per step of size: 1 for a SCAN page (or a deletion batch
    /// alone), up to 2 when every scanned key is deleted too. Until measured, the worst case.
    public private(set) var unitsPerSize = 2.0
    /// The costs of the last few intervals.
    private var recentCosts: [Double] = []
    static let recentWindow = 8
    public private(set) var pauses = 0
    public private(set) var pausedMicroseconds = 0.0

    public init(_ settings: Settings = Settings()) {
        self.settings = settings
        let size = settings.unthrottled ? settings.ceiling : settings.floor * 4
        // Fixed sizes keep the old overlap of two writes: they ask for speed, not pacing.
        let fixed = settings.fixedCount != nil && settings.fixedBatch != nil
        plan = Plan(scanCount: settings.fixedCount ?? size, batchSize: settings.fixedBatch ?? size,
                    depth: settings.unthrottled || fixed ? 2 : 1, pauseMicroseconds: 0)
        othersActive = !settings.unthrottled
    }

    /// Before the first write: a server that served no one else lately (`INFO`'s recent
    /// commands a second; nil when unknown) is taken at full speed from the start.
    public mutating func start(otherOpsPerSecond: Double?) {
        guard !settings.unthrottled, let ops = otherOpsPerSecond, ops <= settings.busyOpsPerSecond else { return }
        othersActive = false
        plan.depth = 2
        plan.scanCount = settings.fixedCount ?? settings.ceiling
        plan.batchSize = settings.fixedBatch ?? settings.ceiling
    }

    /// No more readings will come (the probe failed midway): back to the gentle start's
    /// sizes for good, as a run that never had readings would use, since the load can no
    /// longer be told.
    public mutating func lostSight() {
        guard !settings.unthrottled else { return }
        othersActive = true
        plan = PacingController(settings).plan
    }

    /// Folds in one interval and decides the next plan.
    public mutating func observe(_ s: Sample) {
        plan.pauseMicroseconds = 0
        guard !settings.unthrottled else { return }
        if s.elapsedMicroseconds > 0 {
            othersActive = s.otherCommands / s.elapsedMicroseconds * 1_000_000 > settings.busyOpsPerSecond
            othersSeen = othersSeen || othersActive
        }
        if s.scanUnits > 0 {
            unitsPerSize = min(2, max(1, Double(s.units) / Double(s.scanUnits)))
        } else if s.units > 0 {
            unitsPerSize = 1  // deletions of named keys: no SCAN rides along
        }
        if s.units > 0 && s.serverMicroseconds > 0 {
            let cost = s.serverMicroseconds / Double(s.units)
            costPerUnit = costPerUnit.map { 0.5 * $0 + 0.5 * cost } ?? cost
            idleCost = min(idleCost ?? cost, cost)
            recentCosts.append(cost)
            if recentCosts.count > Self.recentWindow { recentCosts.removeFirst() }
        }
        var size = plan.scanCount
        // Sizes follow the cheapest recent cost: a command's `usec` also counts the time the
        // server was preempted by other processes, which says nothing about the work itself.
        if othersActive, let cost = recentCosts.min() {
            // Shrink at once to what the budget allows for everything in flight; grow back at
            // most twice per interval.
            let inFlightUnitsPerSize = Double(settings.busyDepth) * unitsPerSize
            let target = Int(saturating: (settings.budgetMicroseconds / (max(cost, 0.001) * inFlightUnitsPerSize)).rounded(.down))
            size = min(target, size * 2)
            plan.depth = settings.busyDepth
            if let idle = idleCost, let smoothed = costPerUnit, smoothed > idle * settings.starvedFactor {
                plan.pauseMicroseconds = settings.pauseMicroseconds
                pauses += 1
                pausedMicroseconds += settings.pauseMicroseconds
            }
        } else if othersActive {
            size = settings.floor * 4
            plan.depth = 1
        } else {
            // Others gone: grow back twofold per interval, in case they return; never seen:
            // the start was only cautious, so full speed now.
            size = othersSeen ? size * 2 : settings.ceiling
            plan.depth = 2
        }
        size = min(max(size, settings.floor), settings.ceiling)
        plan.scanCount = settings.fixedCount ?? size
        plan.batchSize = settings.fixedBatch ?? size
    }
}
