import RESP
import RedisClient

/// The state of one run; each `drain…` folds its counts into `summary` even when it
/// throws, so the partial summary stays true.
struct InvalidationRunner {
    /// The node being worked on: the server, or one primary of a cluster at a time.
    var connection: RedisConnection
    var cluster: ClusterClient?
    let scope: KeyScope
    let request: InvalidationRequest
    var throttle: Throttle
    var summary = InvalidationSummary()
    private let clock = ContinuousClock()
    private let began: ContinuousClock.Instant

    init(connection: RedisConnection, scope: KeyScope, request: InvalidationRequest, throttle: Throttle) {
        self.connection = connection
        self.scope = scope
        self.request = request
        self.throttle = throttle
        self.began = clock.now
        summary.dryRun = request.dryRun
    }

    var limitLeft: Int? { request.limit.map { max(0, $0 - summary.matched) } }

    /// `moreWork`: the caller knows there is something left to do, so reaching the limit
    /// now is a stop worth reporting.
    mutating func canContinue(_ shouldStop: () -> Bool, moreWork: Bool = true) -> Bool {
        if summary.stop != nil { return false }
        if limitLeft == 0 {
            if moreWork { summary.stop = .limit }
            return false
        }
        if shouldStop() {
            summary.stop = .requested
            return false
        }
        return true
    }

    mutating func finish() {
        summary.elapsed = clock.now - began
        countPauses(&summary)
    }

    private func countPauses(_ s: inout InvalidationSummary) {
        s.pauses = throttle.pauses + pacingPauses.values.reduce(0) { $0 + $1.count }
        s.paused = throttle.paused + .microseconds(pacingPauses.values.reduce(0) { $0 + $1.microseconds })
    }

    /// Pauses asked by each node's pacing, by node (their controllers count since the start).
    private var pacingPauses: [String: (count: Int, microseconds: Double)] = [:]

    /// Folds a node's current pacing into the summary: sizes now, the smallest, pauses.
    mutating func note(_ pacer: ScanPacer, node: String? = nil) {
        let plan = pacer.plan
        summary.scanCount = plan.scanCount
        summary.batchSize = plan.batchSize
        summary.smallestBatch = min(summary.smallestBatch ?? plan.batchSize, plan.batchSize)
        summary.inFlight = plan.depth
        if pacer.blind { summary.pacingBlind = true }
        let c = pacer.controller
        pacingPauses[node ?? ""] = (c.pauses, c.pausedMicroseconds)
    }

    // MARK: Bookkeeping

    mutating func takeSample(_ keys: [[UInt8]], prefixed: Bool) {
        for key in keys where summary.sample.count < request.sampleSize {
            summary.sample.append(prefixed ? scope.strip(key) : key)
        }
    }

    /// Adds a finished (or failed) pipeline's replies to the summary.
    mutating func fold(_ pipe: BatchPipeline, kind: Kind?) {
        if request.dryRun {
            if pipe.sentKeys > 0 { summary.existing = (summary.existing ?? 0) + pipe.total }
            return
        }
        summary.deleted += pipe.total
        summary.unconfirmed += pipe.unansweredKeys
        switch kind {
        case .pattern?: summary.deletedByPattern += pipe.total
        case .tag?: summary.deletedByTag += pipe.total
        case nil: summary.deletedByKey += pipe.total
        }
    }

    /// `inFlight`: what pipelines not yet folded into the summary have deleted so far.
    func report(_ progress: (InvalidationProgress) -> Void, source: [UInt8]?, fraction: Double?,
                inFlight: Int) {
        var snapshot = summary
        if !request.dryRun { snapshot.deleted += inFlight }
        snapshot.elapsed = clock.now - began
        countPauses(&snapshot)
        progress(InvalidationProgress(summary: snapshot, source: source, fractionDone: fraction))
    }
}
