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
        .target(name: "CacheOps", dependencies: ["RESP", "RedisClient"]),
        .target(name: "CLI"),
        // fork/exec and the lock run watchdog, which must run between fork and exec (or
        // after a fork without exec) where Swift code is not safe.
        .target(name: "CProcess"),
        // Every command, its rendering and the process plumbing it needs, as a library so
        // that commands and renderers are tested in-process, without a subprocess.
        .target(name: "CachectlApp", dependencies: ["CLI", "CacheOps", "RedisClient", "RESP", "CProcess"]),
        // main alone: fill closed standard descriptors, then run.
        .executableTarget(name: "cachectl", dependencies: ["CachectlApp", "CLI"]),

        .executableTarget(name: "RESPBench", dependencies: ["RESP"], path: "Benchmarks/RESPBench"),
        .executableTarget(name: "LockRateLimitBench", dependencies: ["CacheOps", "RedisClient"],
                          path: "Benchmarks/LockRateLimitBench"),

        .target(name: "TestSupport", dependencies: ["RedisClient", "RESP"], path: "Tests/TestSupport"),
        .testTarget(name: "RESPTests", dependencies: ["RESP"]),
        .testTarget(name: "CLITests", dependencies: ["CLI"]),
        .testTarget(name: "RedisClientTests", dependencies: ["RedisClient", "RESP", "TestSupport"]),
        .testTarget(name: "CacheOpsTests", dependencies: ["CacheOps", "RedisClient", "RESP", "TestSupport"]),
        // The bench's pure parts (histogram, templates, plan checks): no server needed.
        .testTarget(name: "BenchUnitTests", dependencies: ["CacheOps", "RESP"]),
        // Renderers and the output contract from fixed reports: no server, no subprocess.
        .testTarget(name: "CachectlAppTests", dependencies: ["CachectlApp", "CacheOps", "RedisClient", "CLI"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "CLI", "CacheOps", "RedisClient", "RESP", "cachectl"]),
    ]
)
