/// The rate-limit conventions applications use: the key `rate:{ip}:{endpoint}` with every
/// `/` of the endpoint turned into `_`, and its default limits per endpoint.
public enum SeedRateLimits {
    public struct Preset: Sendable, Equatable {
        /// nil for the fallback that applies to every other endpoint.
        public var endpoint: String?
        public var limit: Int64
        public var window: Duration
    }

    public static let presets: [Preset] = [
        Preset(endpoint: "/api/auth/login", limit: 5, window: .seconds(60)),
        Preset(endpoint: "/api/auth/register", limit: 3, window: .seconds(60)),
        Preset(endpoint: "/api/otp/send", limit: 3, window: .seconds(60)),
        Preset(endpoint: "/api/payments", limit: 30, window: .seconds(60)),
    ]
    public static let fallback = Preset(endpoint: nil, limit: 100, window: .seconds(60))

    /// `rate:1.2.3.4:_api_auth_login` for `1.2.3.4` and `/api/auth/login` (before any prefix).
    public static func key(ip: [UInt8], endpoint: [UInt8]) -> [UInt8] {
        Array("rate:".utf8) + ip + [UInt8(ascii: ":")] + sanitised(endpoint)
    }

    /// Every `/` turned into `_`, as the applications' `endpoint.replace(/\//g, '_')` does.
    public static func sanitised(_ endpoint: [UInt8]) -> [UInt8] {
        endpoint.map { $0 == UInt8(ascii: "/") ? UInt8(ascii: "_") : $0 }
    }

    /// The preset for an endpoint: an exact match, or a preset path that the endpoint
    /// continues below (`/api/payments/42` → `/api/payments`); the fallback otherwise.
    public static func preset(for endpoint: [UInt8]) -> Preset {
        for preset in presets {
            guard let path = preset.endpoint.map({ Array($0.utf8) }) else { continue }
            if endpoint == path { return preset }
            if endpoint.count > path.count, endpoint.starts(with: path), endpoint[path.count] == UInt8(ascii: "/") {
                return preset
            }
        }
        return fallback
    }

    /// The endpoint a key suffix stands for, read back as the applications' `getIpStatus` does
    /// (`_` → `/`); lossy for endpoints that contained `_`, hence status also shows the key.
    public static func endpoint(fromKeySuffix suffix: [UInt8]) -> [UInt8] {
        suffix.map { $0 == UInt8(ascii: "_") ? UInt8(ascii: "/") : $0 }
    }
}
