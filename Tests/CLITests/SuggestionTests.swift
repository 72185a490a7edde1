import CLI
import XCTest

final class SuggestionTests: XCTestCase {
    func testDistance() {
        XCTAssertEqual(Suggestion.distance("", "abc"), 3)
        XCTAssertEqual(Suggestion.distance("kitten", "sitting"), 3)
        XCTAssertEqual(Suggestion.distance("lokc", "lock"), 1, "a transposition is one edit")
        XCTAssertEqual(Suggestion.distance("dryrun", "dry-run"), 1)
        XCTAssertEqual(Suggestion.distance("same", "same"), 0)
    }

    func testBest() {
        let commands = ["health", "keys", "invalidate", "lock", "ratelimit", "bench"]
        XCTAssertEqual(Suggestion.best(for: "helth", among: commands), "health")
        XCTAssertEqual(Suggestion.best(for: "LOCK", among: commands), "lock")
        XCTAssertEqual(Suggestion.best(for: "invalidte", among: commands), "invalidate")
        XCTAssertEqual(Suggestion.best(for: "rate", among: commands), "ratelimit", "unique prefix")
        XCTAssertNil(Suggestion.best(for: "zebra", among: commands))
        XCTAssertNil(Suggestion.best(for: "", among: commands))
        XCTAssertNil(Suggestion.best(for: "xy", among: ["abcdef"]))
    }

    func testPrefersClosest() {
        XCTAssertEqual(Suggestion.best(for: "stat", among: ["start", "stats", "status"]), "start",
                       "ties go to the first candidate")
        XCTAssertEqual(Suggestion.best(for: "stat", among: ["status", "stats", "start"]), "stats")
        XCTAssertEqual(Suggestion.best(for: "stauts", among: ["start", "status"]), "status",
                       "one transposition beats two edits")
    }
}
