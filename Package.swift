// swift-tools-version:6.0
// cachectl builds from the toolchain alone: no package dependencies, by product decision.
import PackageDescription

let package = Package(
    name: "cachectl",
    products: [
        .executable(name: "cachectl", targets: ["cachectl"]),
    ],
    targets: [
        // codec → client → operations → CLI → executable; each layer only sees the ones below it.
        .target(name: "RESP"),
        // The system OpenSSL, loaded with dlopen on first TLS use (its headers come from
        // libssl-dev): linking it would cost every process ~1.7 ms of start-up.
        .target(name: "CTLS", linkerSettings: [.linkedLibrary("dl")]),
        // Linux epoll for the event loop that drives many connections from one thread
        // (Glibc does not export <sys/epoll.h>).
        .systemLibrary(name: "CEpoll"),
        .target(name: "RedisClient", dependencies: ["RESP", "CTLS", "CEpoll"]),
        .target(name: "CacheOps", dependencies: ["RedisClient"]),
        .target(name: "CLI"),
        // fork/exec and the lock run watchdog, which must run between fork and exec (or
        // after a fork without exec) where Swift code is not safe.
        .target(name: "CProcess"),
        .executableTarget(name: "cachectl", dependencies: ["CLI", "CacheOps", "CProcess"]),

        .executableTarget(name: "RESPBench", dependencies: ["RESP"], path: "Benchmarks/RESPBench"),
        .executableTarget(name: "LockRateLimitBench", dependencies: ["CacheOps", "RedisClient"],
                          path: "Benchmarks/LockRateLimitBench"),

        .target(name: "TestSupport", dependencies: ["RedisClient"], path: "Tests/TestSupport"),
        .testTarget(name: "RESPTests", dependencies: ["RESP"]),
        .testTarget(name: "CLITests", dependencies: ["CLI"]),
        .testTarget(name: "RedisClientTests", dependencies: ["RedisClient", "TestSupport"]),
        .testTarget(name: "CacheOpsTests", dependencies: ["CacheOps", "TestSupport"]),
        // The bench's pure parts (histogram, templates, plan checks): no server needed.
        .testTarget(name: "BenchUnitTests", dependencies: ["CacheOps"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "CLI", "cachectl"]),
    ]
)
