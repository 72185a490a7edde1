import XCTest
import CLI
@testable import CachectlApp

/// The `--json` failure document: the same fields for every command.
final class FailureJSONTests: XCTestCase {
    func testAFailureDocumentCarriesErrorExitCodeAndHint() {
        let failure = Failure("refusing to proceed without --yes", exitCode: .usage, hint: "add --yes to confirm")
        XCTAssertEqual(FailureJSON.document(failure).serialized(),
                       #"{"error":"refusing to proceed without --yes","exitCode":64,"hint":"add --yes to confirm"}"#)
        XCTAssertEqual(FailureJSON.document(Failure("down", exitCode: .unavailable)).serialized(),
                       #"{"error":"down","exitCode":69}"#)
    }

    func testASummaryOutcomeIsNullOnSuccess() {
        let members = FailureJSON.outcome(nil, exitCode: .success)
        XCTAssertEqual(JSONValue.object(members).serialized(), #"{"error":null,"exitCode":0}"#)
    }

    /// The entry point owes a document when nothing was printed, or after stream lines.
    func testTheLedgerSaysWhenAFailureDocumentIsOwed() {
        let ledger = ResultLedger()
        XCTAssertTrue(ledger.owesFailureDocument)
        ledger.recordDocument()
        XCTAssertFalse(ledger.owesFailureDocument)
        let stream = ResultLedger()
        stream.recordStreamLine()
        XCTAssertTrue(stream.owesFailureDocument)
    }
}

/// `acl --server-version`: Redis 6.0 refuses channel rules (`resetchannels`, `&`).
final class AclLineVersionTests: XCTestCase {
    func testChannelRulesOnlyWhereTheServerHasThem() {
        var line = AclLine(user: "w", subcommands: ["watch"], prefix: [], channel: nil, database: 0)
        XCTAssertTrue(line.text.contains(" resetchannels ") && line.text.contains(" &cache:invalidate"), line.text)
        line.channelRules = false
        XCTAssertFalse(line.text.contains("resetchannels") || line.text.contains("&"), line.text)
        XCTAssertTrue(line.text.hasPrefix("ACL SETUSER w on resetkeys -@all +"), line.text)
    }
}
