import XCTest
import TestSupport
import RedisClient

extension XCTestCase {
    /// A connection to an emptied database of the shared server, emptied again after the test.
    func emptyDatabase(_ database: Int, prefix: [UInt8] = []) throws -> RedisConnection {
        let conn = try AwkwardKeys.connect(database: database, prefix: prefix)
        addTeardownBlock { _ = try? conn.command("FLUSHDB") }
        return conn
    }
}
