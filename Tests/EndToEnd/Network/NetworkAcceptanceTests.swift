import Foundation
import Testing

/// Issue 12's acceptance check, exactly as an admin runs it: `coictl network members import`,
/// `coictl network breadth --json` and `coictl network members export --public`, against the real coid.
@Suite struct NetworkAcceptanceTests {
    static let header = "ref,full_name,email,party,body,municipality_code,region_code,role,term_start,term_end,status,public_consent"

    /// 27 rows: 25 active members across five parties, all three bodies and all five regions, one
    /// invited and one ceased (neither counts).
    static func memberList() -> String {
        let parties = ["A", "V", "Ø", "C", "F"]
        let municipalities = [851, 751, 461, 101, 330] // Aalborg, Aarhus, Odense, København, Slagelse
        let regions = [1081, 1082, 1083, 1084, 1085]
        var lines = [header]
        for index in 0..<25 {
            let party = parties[index % 5]
            let consent = index % 2 == 0 ? "yes" : "no"
            let name = "Søren Ærø-Åby \(index)"
            switch index % 3 {
            case 0: lines.append("k\(index),\(name),k\(index)@example.dk,\(party),municipal_council,\(municipalities[index % 5]),,member,2026-01-01,2029-12-31,active,\(consent)")
            case 1: lines.append("r\(index),\"\(name), rådsmedlem\",r\(index)@example.dk,\(party),regional_council,,\(regions[index % 5]),regional_council_chair,,,active,\(consent)")
            default: lines.append("f\(index),\(name),f\(index)@example.dk,\(party),folketing,,\(index % 4 == 0 ? "" : String(regions[index % 5])),member,,,active,\(consent)")
            }
        }
        lines.append("x1,Ida Inviteret,ida@example.dk,Æ,municipal_council,147,,deputy_mayor,,,invited,yes")
        lines.append("x2,Carl Ceased,carl@example.dk,B,folketing,,,member,,,ceased,yes")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    @Test func importBreadthAndPublicExportThroughCoictl() async throws {
        let cli = try await IdentityCLI.start()
        defer { Task { await cli.daemon.stop() } }
        let file = cli.daemon.directory.appendingPathComponent("members.csv")

        // Wrong input first: all or nothing, with line and column.
        try Data((Self.header + "\r\nk1,Bo,bo@example.dk,Ø,municipal_council,101,,member,,,active,yes\r\nk2,Al,al@example.dk,Q,folketing,,,member,,,active,no\r\n").utf8)
            .write(to: file)
        try await cli.rejected(["network", "members", "import", file.path], "INVALID_ARGUMENT", mentions: ["line 3, column 4 (party)", "nothing changed"])
        let none = try await cli.object(["network", "breadth"])
        #expect(none["active_members"] as? Int == 0 && none["viable"] as? Bool == false)
        #expect((none["missing"] as? [String])?.contains("no member of the Folketing") == true)

        try Data(Self.memberList().utf8).write(to: file)
        let imported = try await cli.ok(["network", "members", "import", file.path])
        #expect(imported.contains("27 rows"), "\(imported)")

        let breadth = try await cli.object(["network", "breadth"])
        #expect(breadth["active_members"] as? Int == 25)
        #expect(breadth["by_party"] as? [String: Int] == ["A": 5, "V": 5, "Ø": 5, "C": 5, "F": 5])
        #expect(breadth["by_body"] as? [String: Int] == ["municipal_council": 9, "regional_council": 8, "folketing": 8])
        let byRegion = try #require(breadth["by_region"] as? [String: Int])
        #expect(Set(byRegion.keys) == ["1081", "1082", "1083", "1084", "1085"] && byRegion.values.allSatisfy { $0 > 0 })
        #expect(abs((breadth["effective_parties"] as? Double ?? 0) - 5) < 0.001)
        #expect(breadth["viable"] as? Bool == true)
        #expect(breadth["missing"] as? [String] == [])

        let csv = try await cli.ok(["network", "members", "export", "--public"])
        let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first?.hasPrefix("ref,") == true)
        // 13 of the 25 active members consented; the invited and the ceased are not listed.
        #expect(lines.count == 14)
        #expect(csv.contains("\"Søren Ærø-Åby 1, rådsmedlem\"") == false && csv.contains("Søren Ærø-Åby 0"))
        #expect(!csv.contains("@") && !csv.contains("Ida Inviteret") && !csv.contains("Carl Ceased"))
        // The admin export lists everyone.
        let all = try await cli.ok(["network", "members", "export"])
        #expect(all.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 28 && all.contains("carl@example.dk"))
        // Breadth as of yesterday: nobody yet.
        let yesterday = String(ISO8601DateFormatter().string(from: Date().addingTimeInterval(-86_400)).prefix(10))
        let before = try await cli.object(["network", "breadth", "--as-of", yesterday])
        #expect(before["active_members"] as? Int == 0)
    }
}
