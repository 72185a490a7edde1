#if canImport(Glibc)
import Glibc
#endif

/// Paced walks (invalidate, keys list|stats|audit, keys expire, ratelimit reset --ip, when
/// their sizes adapt) mark the process as a batch job for the kernel's scheduler
/// (`SCHED_BATCH`, same CPU share).
///
/// Why: a walk wakes up once per reply, thousands of times a second, and a freshly woken
/// process normally preempts whatever runs on that core. When cachectl runs on the Redis
/// host (a cron job, an on-call shell), that is often `redis-server` itself, and every
/// client then waits for the preemption: measured with `scripts/bench-gentleness` on two
/// cores (one write of 0.1 ms in flight, medians of 6 runs), other clients' p99 during the
/// invalidate fell from 2.7x to 1.5x idle, the job going from 2.4x to 3.1x its time alone
/// (which the 0.15 ms default budget buys back). A batch process waits for the running
/// task's turn instead. Best effort: where the call is
/// unavailable or refused, nothing changes and nothing is said (it is not a fact to report).
enum BatchScheduling {
    /// `SCHED_BATCH` from <linux/sched.h>: glibc declares it only under _GNU_SOURCE, which
    /// Swift's Glibc module is not built with.
    static let schedBatch: Int32 = 3

    static func enter() {
        #if os(Linux)
        var param = sched_param()
        param.sched_priority = 0
        _ = sched_setscheduler(0, schedBatch, &param)
        #endif
    }
}
