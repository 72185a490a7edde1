import XCTest
@testable import CacheOps

/// The pacing state machine, fed with made-up server readings: no server, no clock.
final class PacingControllerTests: XCTestCase {
    private typealias Sample = PacingController.Sample

    /// The settings the arithmetic below assumes (the defaults may be tuned): 100 µs of
    /// budget, one write in flight while others are active.
    private static let pinned: PacingController.Settings = {
        var s = PacingController.Settings()
        s.budgetMicroseconds = 100
        s.busyDepth = 1
        return s
    }()

    /// A controller that started on an idle server, then saw 0.5 µs of server time per unit
    /// while 2000 other commands ran in 50 ms.
    private func underLoad(_ settings: PacingController.Settings = pinned, deleting: Bool = true) -> PacingController {
        var c = PacingController(settings)
        c.start(otherOpsPerSecond: 0)
        c.observe(sample(serverUs: 50_000, units: 100_000, others: 2000, deleting: deleting))
        return c
    }

    /// 50 ms in which the server spent `serverUs` on `units` of our work while others sent
    /// `others` commands; `deleting`: every scanned key was deleted too (half the units are
    /// SCAN's, half the deletions'), else the walk only read.
    private func sample(serverUs: Double, units: Int, others: Double, deleting: Bool = true) -> Sample {
        Sample(elapsedMicroseconds: 50_000, serverMicroseconds: serverUs, units: units,
               scanUnits: deleting ? units / 2 : units, otherCommands: others)
    }

    func testStartsGentleUnlessTheServerWasIdle() {
        var busy = PacingController()
        XCTAssertEqual(busy.plan.depth, 1)
        XCTAssertEqual(busy.plan.batchSize, 64)
        busy.start(otherOpsPerSecond: 40_000)
        XCTAssertEqual(busy.plan.batchSize, 64, "others are active: stay small")
        var unknown = PacingController()
        unknown.start(otherOpsPerSecond: nil)
        XCTAssertEqual(unknown.plan.batchSize, 64, "no INFO: stay small")
        var idle = PacingController()
        idle.start(otherOpsPerSecond: 0)
        XCTAssertEqual(idle.plan, .init(scanCount: 1000, batchSize: 1000, depth: 2, pauseMicroseconds: 0))
    }

    func testUnderLoadEverythingInFlightFitsTheBudget() {
        // One write in flight, a SCAN of n keys and a deletion of n keys: 100 µs / (0.5 × 1 × 2) = 100.
        let c = underLoad()
        XCTAssertTrue(c.othersActive)
        XCTAssertEqual(c.plan.scanCount, 100)
        XCTAssertEqual(c.plan.batchSize, 100)
        XCTAssertEqual(c.plan.depth, 1)
        XCTAssertEqual(c.plan.pauseMicroseconds, 0)
        // Two writes in flight share the budget: 50 each.
        var halves = Self.pinned
        halves.busyDepth = 2
        let two = underLoad(halves)
        XCTAssertEqual(two.plan.batchSize, 50)
        XCTAssertEqual(two.plan.depth, 2)
        // A walk that deletes nothing (keys list) carries half the work per write: 200.
        XCTAssertEqual(underLoad(deleting: false).plan.scanCount, 200)
    }

    func testABiggerBudgetAllowsBiggerCommands() {
        var settings = Self.pinned
        settings.budgetMicroseconds = 250
        XCTAssertEqual(underLoad(settings).plan.batchSize, 250)
    }

    func testGrowsBackAtMostTwofoldWhenTheServerFreesUp() {
        var c = PacingController(Self.pinned)
        c.start(otherOpsPerSecond: 0)
        c.observe(sample(serverUs: 5_000, units: 10_000, others: 5000))   // 0.5 µs a unit: 100
        XCTAssertEqual(c.plan.batchSize, 100)
        c.observe(sample(serverUs: 100, units: 10_000, others: 5000))     // far cheaper, still busy
        XCTAssertGreaterThan(c.plan.batchSize, 100)
        XCTAssertLessThanOrEqual(c.plan.batchSize, 200, "at most twice, not at once")
        let before = c.plan.batchSize
        c.observe(sample(serverUs: 5_000, units: 10_000, others: 0))      // idle
        XCTAssertFalse(c.othersActive)
        XCTAssertEqual(c.plan.batchSize, before * 2)
        XCTAssertEqual(c.plan.depth, 2)
        for _ in 0..<5 { c.observe(sample(serverUs: 5_000, units: 10_000, others: 0)) }
        XCTAssertEqual(c.plan.batchSize, 1000, "the idle ceiling")
    }

    /// INFO's recent-ops figure lags: a server busy a second ago but quiet in our first
    /// interval is taken at full speed at once, not doubled up from the gentle start.
    func testAQuietFirstIntervalEndsTheGentleStartAtOnce() {
        var c = PacingController(Self.pinned)
        c.start(otherOpsPerSecond: 900_000)  // a bulk load that just ended
        XCTAssertEqual(c.plan.batchSize, 64)
        c.observe(sample(serverUs: 5_000, units: 10_000, others: 0))
        XCTAssertFalse(c.othersSeen)
        XCTAssertEqual(c.plan, .init(scanCount: 1000, batchSize: 1000, depth: 2, pauseMicroseconds: 0))
        // Once others were seen, leaving again only doubles.
        var seen = PacingController(Self.pinned)
        seen.start(otherOpsPerSecond: 900_000)
        seen.observe(sample(serverUs: 5_000, units: 10_000, others: 5000))
        let busy = seen.plan.batchSize
        seen.observe(sample(serverUs: 5_000, units: 10_000, others: 0))
        XCTAssertEqual(seen.plan.batchSize, min(busy * 2, 1000))
    }

    func testAPreemptedIntervalDoesNotShrinkTheSizes() {
        var c = PacingController(Self.pinned)
        c.start(otherOpsPerSecond: 0)
        c.observe(sample(serverUs: 50_000, units: 100_000, others: 2000))   // 0.5 µs: 100
        c.observe(sample(serverUs: 60_000, units: 100_000, others: 2000))   // 0.6 µs: the server was preempted
        XCTAssertEqual(c.plan.batchSize, 100, "sizes follow the cheapest recent interval")
    }

    func testNeverBelowTheFloorNorAboveTheCeiling() {
        var c = PacingController(Self.pinned)
        c.observe(sample(serverUs: 50_000, units: 100, others: 9000))  // 500 µs a unit
        XCTAssertEqual(c.plan.batchSize, PacingController.Settings().floor)
    }

    func testPausesWhenTheServerIsStarved() {
        var c = PacingController(Self.pinned)
        c.start(otherOpsPerSecond: 0)
        c.observe(sample(serverUs: 10_000, units: 20_000, others: 0))        // 0.5 µs: idle speed
        c.observe(sample(serverUs: 50_000, units: 10_000, others: 5000))     // 5 µs: ten times dearer
        XCTAssertGreaterThan(c.plan.pauseMicroseconds, 0)
        XCTAssertEqual(c.pauses, 1)
        c.observe(sample(serverUs: 500, units: 1000, others: 5000))
        XCTAssertEqual(c.plan.pauseMicroseconds, 0, "one pause, then on")
    }

    func testExplicitSizesAndNoThrottleWin() {
        var fixed = Self.pinned
        fixed.fixedCount = 1000
        fixed.fixedBatch = 700
        var c = PacingController(fixed)
        c.observe(sample(serverUs: 50_000, units: 1000, others: 9000))
        XCTAssertEqual(c.plan.scanCount, 1000)
        XCTAssertEqual(c.plan.batchSize, 700)

        var free = PacingController.Settings()
        free.unthrottled = true
        var u = PacingController(free)
        XCTAssertEqual(u.plan, .init(scanCount: 1000, batchSize: 1000, depth: 2, pauseMicroseconds: 0))
        u.observe(sample(serverUs: 50_000, units: 1000, others: 9000))
        XCTAssertEqual(u.plan.batchSize, 1000)
    }

    func testReadsTheServersFiguresFromInfo() {
        let info = """
        # Stats\r
        total_commands_processed:12345\r
        instantaneous_ops_per_sec:678\r
        # Commandstats\r
        cmdstat_get:calls=10,usec=900,usec_per_call=90.00,rejected_calls=0,failed_calls=0\r
        cmdstat_scan:calls=3,usec=300,usec_per_call=100.00,rejected_calls=0,failed_calls=0\r
        cmdstat_unlink:calls=2,usec=50,usec_per_call=25.00,rejected_calls=0,failed_calls=0\r
        """
        let r = ServerLoadProbe.parse(info)
        XCTAssertEqual(r, .init(commandsProcessed: 12345, opsPerSecond: 678, ourMicroseconds: 350))
        XCTAssertNil(ServerLoadProbe.parse("# nothing\r\n"))
    }
}

extension PacingControllerTests {
    /// A probe that fails midway leaves no way to see the load: the walk goes back to the
    /// gentle start for good, even from the idle ceiling, and an unthrottled one is untouched.
    func testLosingTheReadingsMidwayGoesBackToTheGentleStart() {
        var c = PacingController(Self.pinned)
        c.start(otherOpsPerSecond: 0)
        c.observe(sample(serverUs: 1000, units: 2000, others: 0))
        XCTAssertEqual(c.plan.batchSize, 1000)
        c.lostSight()
        XCTAssertEqual(c.plan, .init(scanCount: 64, batchSize: 64, depth: 1, pauseMicroseconds: 0))
        XCTAssertTrue(c.othersActive)

        var fixedCount = PacingController({ var s = PacingController.Settings(); s.fixedCount = 500; return s }())
        fixedCount.start(otherOpsPerSecond: 0)
        fixedCount.lostSight()
        XCTAssertEqual(fixedCount.plan.scanCount, 500, "an explicit --count still wins")
        XCTAssertEqual(fixedCount.plan.batchSize, 64)

        var unthrottled = PacingController({ var s = PacingController.Settings(); s.unthrottled = true; return s }())
        unthrottled.lostSight()
        XCTAssertEqual(unthrottled.plan, .init(scanCount: 1000, batchSize: 1000, depth: 2, pauseMicroseconds: 0))
    }
}

extension PacingControllerTests {
    /// The defaults the benchmark chose: --max-latency-ms 0.15, one write in flight under load.
    func testDefaultsAreOneWriteOfTheDefaultBudget() {
        let d = PacingController.Settings()
        XCTAssertEqual(d.budgetMicroseconds, 150, accuracy: 1e-9)
        XCTAssertEqual(PacingController.Settings.defaultBudget, .microseconds(150))
        XCTAssertEqual(d.busyDepth, 1)
        // 150 µs / (0.5 × 1 × 2)
        XCTAssertEqual(underLoad(d).plan, .init(scanCount: 150, batchSize: 150, depth: 1, pauseMicroseconds: 0))
    }
}
