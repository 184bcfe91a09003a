import COIProto
import Foundation
import Testing
@testable import coictl

struct OutputTests {
    /// Issue 13 item 13: tables are read by people; JSON keeps true/false.
    @Test func booleansPrintAsYesOrNoInTables() {
        #expect(Output.cell(true) == "yes")
        #expect(Output.cell(false) == "no")
        #expect(Output.cell(1) == "1" && Output.cell(0) == "0", "numbers are not booleans")
    }

    @Test func controlCharactersAreMadeVisible() {
        #expect(Output.escapeControls("a\u{1b}[2Jb") == "a\\u{1b}[2Jb")
        #expect(Output.escapeControls("line\nnext\ttab") == "line\\u{a}next\\u{9}tab")
        #expect(Output.escapeControls("line\nnext\ttab", keepLayout: true) == "line\nnext\ttab")
        #expect(Output.escapeControls("\u{9b}31m") == "\\u{9b}31m")
        #expect(Output.escapeControls("abc\u{202E}fed") == "abc\\u{202e}fed")
        #expect(Output.escapeControls("Ærø Kommune, Æbelø") == "Ærø Kommune, Æbelø")
    }

    @Test func messagesPrintWithProtoNamesNumbersAndDefaults() throws {
        let account = Coi_Identity_V1_Account.with {
            $0.id = "acc_1"
            $0.fullName = "Søren Ærø"
            $0.kind = .person
            $0.municipalityCode = 101
        }
        let object = try #require(ProtoJSON.value(account) as? [String: Any])
        #expect(object["full_name"] as? String == "Søren Ærø")
        #expect(object["kind"] as? String == "PERSON")
        #expect(object["municipality_code"] as? Int == 101)
        // Defaults are printed, so a script can read every key.
        #expect(object["email"] as? String == "")
        #expect(object["status"] as? String == "ACCOUNT_STATUS_UNSPECIFIED")
        #expect((object["roles"] as? [Any])?.isEmpty == true)
        #expect(object["fullName"] == nil)
    }

    @Test func int64sAreNumbers() throws {
        let entry = Coi_Identity_V1_AuditEntry.with { $0.sequence = 9_007_199_254_740_993 }
        let object = try #require(ProtoJSON.value(entry) as? [String: Any])
        #expect(object["sequence"] as? Int64 == 9_007_199_254_740_993)
        #expect(Output.jsonText(object).contains("\"sequence\":9007199254740993"))
    }

    @Test func connectErrorsInWords() {
        #expect(ConnectError.describe(errno: ENOENT).contains("is coid running?"))
        #expect(ConnectError.describe(errno: EACCES).contains("permission denied — is your user in group coi?"))
        #expect(ConnectError.describe(errno: ECONNREFUSED).hasPrefix("connection refused"))
    }
}
