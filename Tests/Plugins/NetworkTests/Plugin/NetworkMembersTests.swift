import COIHostTesting
import COIPluginKit
import COIProto
import Foundation
import Testing
@testable import COINetwork

@Suite struct NetworkMembersTests {
    @Test func nationalPartiesAreSeededAndAdminsAddLocalLists() async throws {
        let net = try await NetworkFixture()
        let parties = try await net.call(Coi_Network_V1_Parties.Method.list, Coi_Network_V1_ListPartiesRequest()).parties
        #expect(parties.map(\.letter).sorted() == ["A", "B", "C", "F", "H", "I", "K", "M", "O", "V", "Å", "Æ", "Ø"].sorted())
        #expect(parties.first { $0.letter == "Ø" }?.name == "Enhedslisten")
        let local = try await net.call(Coi_Network_V1_Parties.Method.create, .with { $0.letter = "l"; $0.name = "Lokallisten Bornholm" })
        #expect(local.letter == "L" && !local.national)
        let again = await rpcError { _ = try await net.call(Coi_Network_V1_Parties.Method.create, .with { $0.letter = "L"; $0.name = "X" }) }
        #expect(again?.code == .alreadyExists)
        let member = try await net.bench.person("Mia Medlem")
        let denied = await rpcError {
            _ = try await net.call(Coi_Network_V1_Parties.Method.create, .with { $0.letter = "Q"; $0.name = "Q" }, token: member.token)
        }
        #expect(denied?.code == .permissionDenied)
    }

    @Test func importIsAllOrNothingWithLineAndColumn() async throws {
        let net = try await NetworkFixture()
        let bad = await rpcError {
            try await net.importRows(["m1,Søren Ærø,soren@example.dk,Ø,municipal_council,101,,mayor,,,active,yes",
                                      "m2,Bo Ib,bo@example.dk,Q,folketing,,,member,,,active,no"])
        }
        #expect(bad?.code == .invalidArgument)
        #expect(bad?.message.contains("line 3, column 4 (party)") == true)
        #expect(bad?.fieldViolations.first?.field == "line 3, column 4 (party)")
        // Nothing changed: no member and no account from the good first line.
        #expect(try await net.members().isEmpty)
        let accounts = try await net.call(Coi_Identity_V1_Accounts.Method.list, Coi_Identity_V1_ListAccountsRequest())
        #expect(!accounts.accounts.contains { $0.fullName == "Søren Ærø" })

        let dry = try await net.importRows(["m1,Søren Ærø,soren@example.dk,Ø,municipal_council,101,,mayor,,,active,yes"], dryRun: true)
        #expect(dry.dryRun && dry.created == 1)
        #expect(try await net.members().isEmpty)

        let reply = try await net.importRows(["m1,Søren Ærø,soren@example.dk,Ø,municipal_council,101,,mayor,2026-01-01,2029-12-31,active,yes",
                                              "m2,Bo Ib,bo@example.dk,V,folketing,,,member,,,invited,no"])
        #expect(reply.created == 2 && reply.accountsCreated == 2)
        let members = try await net.members()
        let soren = try #require(members.first { $0.ref == "m1" })
        #expect(soren.fullName == "Søren Ærø" && soren.party == "Ø" && soren.partyName == "Enhedslisten" && soren.regionCode == 1084
                && soren.municipality == "København" && soren.status == .active && soren.role == "mayor")
        // A second import of the same refs updates rather than duplicates, and links by e-mail (any case).
        let again = try await net.importRows(["m1,Søren Ærø,SOREN@example.dk,Ø,municipal_council,101,,member,,,active,no"])
        #expect(again.updated == 1 && again.created == 0 && again.accountsCreated == 0)
        #expect(try await net.members().count == 2)
    }

    @Test func inviteAcceptAndConsentGateWhatOthersSee() async throws {
        let net = try await NetworkFixture()
        let anna = try await net.bench.person("Anna Åberg")
        let outsider = try await net.bench.person("Olga Udenfor")
        let invited = try await net.call(Coi_Network_V1_Members.Method.invite, .with {
            $0.accountID = anna.id
            $0.party = "å"
            $0.body = .regionalCouncil
            $0.regionCode = 1085
            $0.role = "regional council chair"
        })
        #expect(invited.status == .invited && invited.party == "Å" && invited.role == "regional_council_chair")
        let wrong = await rpcError {
            _ = try await net.call(Coi_Network_V1_Members.Method.invite, .with {
                $0.email = "x@example.dk"; $0.fullName = "X"; $0.party = "A"; $0.body = .municipalCouncil; $0.municipalityCode = 101; $0.regionCode = 1081
            })
        }
        #expect(wrong?.code == .invalidArgument && wrong?.fieldViolations.first?.field == "region_code")
        let twice = await rpcError {
            _ = try await net.call(Coi_Network_V1_Members.Method.invite, .with { $0.accountID = anna.id; $0.party = "A"; $0.body = .folketing })
        }
        #expect(twice?.code == .alreadyExists)
        // Only the invited person accepts.
        let notYours = await rpcError { _ = try await net.call(Coi_Network_V1_Members.Method.accept, .with { $0.id = invited.id }, token: outsider.token) }
        #expect(notYours?.code == .permissionDenied)
        #expect(try await net.members(outsider.token).isEmpty)
        let active = try await net.call(Coi_Network_V1_Members.Method.accept, .with { $0.id = invited.id }, token: anna.token)
        #expect(active.status == .active && !active.activeSince.isEmpty && !active.publicConsent)
        // Without consent others do not see her; she sees herself.
        #expect(try await net.members(outsider.token).isEmpty)
        #expect(try await net.members(anna.token).count == 1)
        #expect(try await net.export(publicOnly: true).components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 1)
        _ = try await net.call(Coi_Network_V1_Members.Method.setConsent, .with { $0.id = invited.id; $0.publicConsent = true }, token: anna.token)
        #expect(try await net.members(outsider.token).map(\.fullName) == ["Anna Åberg"])
        let publicCSV = try await net.export(publicOnly: true, token: outsider.token)
        #expect(publicCSV.hasPrefix("ref,full_name,party,") && publicCSV.contains("Anna Åberg") && !publicCSV.contains("@"))
        // The admin export needs network.export.
        let denied = await rpcError { _ = try await net.export(publicOnly: false, token: outsider.token) }
        #expect(denied?.code == .permissionDenied)
        // The full export, with contact details, is audited, refused or not; the public one is not.
        #expect(try await net.export(publicOnly: false).contains("Anna Åberg"))
        let audit = try await net.call(Coi_Identity_V1_Audit.Method.list, .with { $0.method = Coi_Network_V1_Members.Method.export.path })
        #expect(audit.entries.map { "\($0.target) \($0.outcome)" }.sorted() == ["members:all OK", "members:all PERMISSION_DENIED"], "\(audit.entries)")
        let ceased = try await net.call(Coi_Network_V1_Members.Method.cease, .with { $0.id = invited.id }, token: anna.token)
        #expect(ceased.status == .ceased && !ceased.ceasedAt.isEmpty)
        #expect(try await net.members(outsider.token).isEmpty)
    }

    @Test func breadthCountsActiveMembersNowAndAsOfAPastDate() async throws {
        let net = try await NetworkFixture()
        let empty = try await net.breadth()
        #expect(empty.activeMembers == 0 && !empty.viable && empty.missing.contains("no member of the Folketing"))
        try await net.importRows(NetworkFixture.rows(25))
        let breadth = try await net.breadth()
        #expect(breadth.activeMembers == 25 && breadth.viable && breadth.missing.isEmpty)
        #expect(breadth.byParty == ["A": 5, "V": 5, "Ø": 5, "C": 5, "F": 5])
        #expect(abs(breadth.effectiveParties - 5) < 1e-9)
        #expect(breadth.byRegion.keys.sorted() == ["1081", "1082", "1083", "1084", "1085"])
        #expect(breadth.byBody["folketing"] == 8)
        // Yesterday nobody was a member.
        let yesterday = Timestamp.string(Date().addingTimeInterval(-86_400)).prefix(10)
        #expect(try await net.breadth(asOf: String(yesterday)).activeMembers == 0)
        let bad = await rpcError { _ = try await net.breadth(asOf: "sidste tirsdag") }
        #expect(bad?.fieldViolations.first?.field == "as_of")
        // Stricter criteria from the config.
        var config = TOMLTable()
        config["min_members"] = .integer(30)
        let strict = try await NetworkFixture(config: config)
        try await strict.importRows(NetworkFixture.rows(25))
        #expect(try await strict.breadth().missing == ["5 more active members needed (25 of 30)"])
    }
}
