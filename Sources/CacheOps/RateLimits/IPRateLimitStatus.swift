import RedisClient

/// One endpoint counter of an IP (an entry of the applications' `getIpStatus`).
public struct EndpointLimitStatus: Sendable, Equatable {
    /// The full key, prefix included.
    public var key: [UInt8]
    /// Read back from the key as applications do (`_api_auth_login` → `/api/auth/login`).
    public var endpoint: [UInt8]
    public var result: RateLimitResult
}

extension RateLimits {
    /// The status of every `rate:IP:*` counter, each judged by the policy `policy(endpoint)`
    /// gives (the per-endpoint presets unless the caller overrides them).
    public static func ipStatus(on connection: RoutedClient, ip: [UInt8], prefix: [UInt8],
                                policy: ([UInt8]) -> RateLimitPolicy) throws(RedisError) -> [EndpointLimitStatus] {
        let head = prefix.count + "rate:".utf8.count + ip.count + 1
        var statuses: [EndpointLimitStatus] = []
        for key in try seedKeys(on: connection, ip: ip, prefix: prefix) {
            let endpoint = SeedRateLimits.endpoint(fromKeySuffix: Array(key.dropFirst(head)))
            let result = try status(on: connection, key: key, policy: policy(endpoint))
            statuses.append(EndpointLimitStatus(key: key, endpoint: endpoint, result: result))
        }
        return statuses
    }
}
