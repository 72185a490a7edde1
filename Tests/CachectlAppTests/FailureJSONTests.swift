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
