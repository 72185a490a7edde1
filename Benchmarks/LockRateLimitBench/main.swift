// Lock and rate-limit throughput through cachectl's own client: one connection, one
// request at a time, as `cachectl lock` and `cachectl ratelimit` use it. Workloads:
//   lock cycle      Locks.acquire + Locks.release on one name (two scripts per cycle)
//   check <algo>    RateLimits.check on one key whose limit is never reached
// Each workload runs --runs times and reports its best run. `--digests` prints the
// scripts' SHA-1s so scripts/bench-lock-ratelimit can replay them with redis-benchmark.

#if canImport(Glibc)
import Glibc
#endif
import CacheOps
import RedisClient

/// Monotonic seconds: wall-clock time can jump, which would corrupt short measurements.
func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func option(_ name: String, _ fallback: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let n = Int(args[i + 1]) else { return fallback }
    return n
}

if CommandLine.arguments.contains("--digests") {
    print("lock-acquire \(LockScripts.acquire.sha1)")
    print("lock-release \(LockScripts.release.sha1)")
    print("ratelimit-fixed \(RateLimitScripts.fixed.sha1)")
    exit(0)
}

let port = option("--port", 6379)
let requests = option("--requests", 20_000)
let runs = option("--runs", 3)

/// The best of `runs` timings of `body`, which performs `requests` operations.
func best(_ body: () throws(RedisError) -> Void) throws(RedisError) -> Double {
    var fastest = Double.infinity
    for _ in 0..<runs {
        let start = now()
        try body()
        fastest = min(fastest, now() - start)
    }
    return fastest
}

func report(_ name: String, unit: String, seconds: Double, extra: String = "") {
    let rate = Double(requests) / seconds
    let padded = name + String(repeating: " ", count: max(1, 26 - name.count))
    print("\(padded)\(requests) \(unit) in \(Int(seconds * 1000)) ms: \(Int(rate.rounded())) \(unit)/s\(extra)")
}

do {
    let connection = try RedisConnection.connect(ConnectionConfig(endpoint: .tcp(host: "127.0.0.1", port: port)))
    let keys = LockKeys(name: Array("bench:\(getpid())".utf8))
    let owner = LockOwner.generate()
    let lockSeconds = try best { () throws(RedisError) in
        for _ in 0..<requests {
            guard case .acquired = try Locks.acquire(on: connection, keys: keys, owner: owner, ttl: .seconds(30)),
                  try Locks.release(on: connection, keys: keys, owner: owner) == .done
            else { fatalError("the benchmark lock was taken by someone else") }
        }
    }
    report("lock acquire+release", unit: "cycles", seconds: lockSeconds,
           extra: " (\(Int((2 * Double(requests) / lockSeconds).rounded())) scripts/s)")
    _ = try connection.command([Array("DEL".utf8), keys.fenceKey])

    for algorithm in RateLimitAlgorithm.allCases {
        let key = Array("bench:rate:\(algorithm.rawValue):\(getpid())".utf8)
        let policy = RateLimitPolicy(algorithm: algorithm, limit: 1_000_000_000, window: .seconds(1))
        let seconds = try best { () throws(RedisError) in
            for _ in 0..<requests {
                guard try RateLimits.check(on: connection, key: key, policy: policy).allowed else {
                    fatalError("the benchmark limit was reached")
                }
            }
        }
        report("ratelimit check \(algorithm.rawValue)", unit: "checks", seconds: seconds)
        _ = try connection.command([Array("DEL".utf8), key])
    }
} catch {
    print("LockRateLimitBench: \(error)")
    exit(1)
}
