import XCTest
@testable import RedisClient

final class CommandRefusalTests: XCTestCase {
    func testRefusalShapes() {
        XCTAssertEqual(RedisError.permissionDenied("NOPERM User app has no permissions to run the 'info' command").refusal, .noPermission)
        XCTAssertEqual(RedisError.server("ERR unknown command 'MEMORY', with args beginning with: 'USAGE' ").refusal, .unknownCommand)
        XCTAssertEqual(RedisError.server("ERR unknown subcommand 'foo'. Try CONFIG HELP.").refusal, .unknownCommand)
        XCTAssertEqual(RedisError.server("ERR Command is not allowed").refusal, .disabled)
        let inScript = RedisError.fromServerReply("ERR The user executing the script can't run this command or subcommand script: d1, on @user_script:3.")
        XCTAssertEqual(inScript, .permissionDenied("ERR The user executing the script can't run this command or subcommand script: d1, on @user_script:3."))
        // Valkey's wording of the same refusal.
        let valkey = "ERR ACL failure in script: User noset has no permissions to run the 'set' command script: 9f1, on @user_script:2."
        XCTAssertEqual(RedisError.fromServerReply(valkey), .permissionDenied(valkey))
        XCTAssertEqual(inScript.category, .authentication)
    }

    func testRealFailuresAreNotRefusals() {
        XCTAssertNil(RedisError.server("WRONGTYPE Operation against a key holding the wrong kind of value").refusal)
        XCTAssertNil(RedisError.server("OOM command not allowed when used memory > 'maxmemory'.").refusal)
        XCTAssertNil(RedisError.server("READONLY You can't write against a read only replica.").refusal)
        XCTAssertNil(RedisError.connectionLost(endpoint: "x:1", reason: "reset").refusal)
        XCTAssertNil(RedisError.authenticationFailed("WRONGPASS invalid username-password pair").refusal)
    }
}
