/// The workloads `bench -t` knows, in the order they run when all are asked for.
public enum BenchTest: String, Sendable, CaseIterable {
    case ping, set, get, incr
    /// GET and SET at `--ratio`, over `-r` keys.
    case mixed
    /// The applications' cache-aside: GET, and on a miss SET with a TTL.
    case getorset
    /// Acquire a lock and, when it was acquired, release it.
    case lock
    /// One rate-limit check per request.
    case ratelimit

    /// Parses `-t`'s comma-separated list (case-insensitive). Tests run in the order of
    /// this enum whatever order they are given in, as redis-benchmark's do: `-t get,set`
    /// sets before it gets, so the GETs find values.
    public static func parseList(_ text: String) throws(BenchPlanError) -> [BenchTest] {
        var tests: [BenchTest] = []
        for word in text.split(separator: ",", omittingEmptySubsequences: false) {
            let name = String(word).lowercased()
            guard let test = BenchTest(rawValue: name) else {
                throw .unknownTest(String(word), known: allCases.map(\.rawValue))
            }
            if !tests.contains(test) { tests.append(test) }
        }
        return allCases.filter(tests.contains)
    }
}
