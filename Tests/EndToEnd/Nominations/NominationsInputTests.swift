import COIProto
import COIWire
import Foundation
import Testing

/// Input that used to be taken as it came: duplicate flags pointing forward in time, `--version`
/// swallowed by coictl, links to wiki cases that do not exist, storms closed before they open,
/// campaigns created twice, account ids taken for names.
@Suite struct NominationsInputTests {
    @Test func duplicateFlagsPointBackAndEditTakesItsVersion() async throws {
        let world = try await NominationsWorld.start()
        let cli = world.cli
        let campaign = try await cli.ok(["nominations", "campaigns", "create", "--kind", "idea", "--year", "2026", "--title", "Dubletter"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try await world.setPhase(campaign, "open")
        let first = try await world.person("Frida Først", workplace: "Odense Kommune", municipality: 461)
        let second = try await world.person("Sune Senere", workplace: "Vejle Kommune", municipality: 630)
        let original = try await world.submit(campaign, token: first.token, nominees: ["Åse Ågård"], workplace: "Odense Rådhus",
                                              municipality: 461, title: "Kaffe til alle")
        let copy = try await world.submit(campaign, token: second.token, nominees: ["Aase Aagaard"], workplace: "odense radhus",
                                          municipality: 461, title: "Alle til kaffe")
        #expect(original.duplicateOf.isEmpty && copy.duplicateOf == original.id)

        // The original's nominator edits it (with the version read, through coictl): it stays the original.
        let edited = try await cli.object(["nominations", "edit", original.id, "--title", "Kaffe til alle!", "--version", "1"], token: first.token)
        #expect(edited["title"] as? String == "Kaffe til alle!" && edited["version"] as? Int == 2)
        #expect(edited["duplicate_of"] as? String == "")
        #expect(try await world.nomination(copy.id).duplicateOf == original.id)
        // A stale --version is the server's ABORTED, not coictl's own version and exit 0.
        let stale = try await cli.rejected(["nominations", "edit", original.id, "--idea", "Mere kaffe", "--version", "1"], "ABORTED",
                                           mentions: ["version 2, you sent 1"], token: first.token)
        #expect(!stale.stdout.contains("coictl 0.1"))
        #expect(try await world.nomination(original.id).idea == original.idea)
        // Editing the copy keeps its flag; the top level still knows coictl's own --version.
        let copyEdited = try await cli.object(["nominations", "edit", copy.id, "--idea", "Kaffe i alle afdelinger"], token: second.token)
        #expect(copyEdited["duplicate_of"] as? String == original.id)
        #expect(try await cli.ok(["--version"]).hasPrefix("coictl "))
        let unknown = try await cli.run(["nominations", "consent", copy.id, "--version", "1"])
        #expect(unknown.status == 64 && unknown.stderr.contains("--version"))
        await world.stop()
    }

    @Test func campaignsStormsAndNomineesAreChecked() async throws {
        let world = try await NominationsWorld.start()
        let cli = world.cli
        // A second campaign with the same title and year is refused unless confirmed.
        let campaign = try await cli.ok(["nominations", "campaigns", "create", "--kind", "copycat", "--year", "2026", "--title", "Kopikatprisen Å, Idé"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try await cli.rejected(["nominations", "campaigns", "create", "--kind", "copycat", "--year", "2026", "--title", "kopikatprisen aa ide"],
                               "ALREADY_EXISTS", mentions: [campaign, "--allow-duplicate"])
        #expect(try await cli.array(["nominations", "campaigns", "ls"]).count == 1)
        let again = try await cli.ok(["nominations", "campaigns", "create", "--kind", "copycat", "--year", "2026", "--title", "Kopikatprisen Å, Idé",
                                      "--allow-duplicate"]).trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try await cli.ok(["nominations", "campaigns", "create", "--kind", "copycat", "--year", "2027", "--title", "Kopikatprisen Å, Idé"])
        try await cli.rejected(["nominations", "campaigns", "update", again, "--title", "KOPIKATPRISEN Å IDÉ"], "ALREADY_EXISTS", mentions: [campaign])

        // An idea storm that has already closed could never take a proposal.
        try await cli.rejected(["nominations", "storms", "create", "--topic", "For sent", "--opens", "2026-01-01", "--closes", "2026-02-01"],
                               "INVALID_ARGUMENT", mentions: ["closes_at", "in the past"])
        #expect(try await cli.array(["nominations", "storms", "ls"]).isEmpty)

        // A copycat origin that links a wiki case needs the case to exist.
        try await world.setPhase(campaign, "open")
        let nora = try await world.person("Nora Nielsen", workplace: "Silkeborg Kommune", municipality: 740)
        let bo = try await world.person("Bo Bøgh", workplace: "Bostedet Lyngen", municipality: 740)
        func submit(_ nominee: String, link: String) async throws -> IdentityCLI.Outcome {
            try await cli.run(["nominations", "submit", campaign, "--nominee", nominee, "--workplace", "Bostedet Lyngen", "--municipality", "740",
                               "--title", "Madplan kopieret fra Aarhus \(link.count)", "--idea", "Beboerne planlægger maden.",
                               "--difference", "Mindre madspild.", "--origin-wiki-case", link], token: nora.token)
        }
        let missing = try await submit("Bo Bøgh", link: "wiki:Case:Madplan i Aarhus")
        #expect(missing.status == 1 && missing.stderr.contains("origin_wiki_case") && missing.stderr.contains("no wiki case page \"Case:Madplan i Aarhus\""))
        _ = try await world.call(Coi_Wiki_V1_Pages.Method.save, Coi_Wiki_V1_SaveRequest.with {
            $0.title = "Case:Madplan i Aarhus"
            $0.text = "Beboerne planlægger maden sammen."
            $0.caseFields = .with {
                $0.level = .municipality
                $0.municipalityCode = 751
                $0.sector = "social"
            }
        }, token: nora.token)
        // A main-namespace page is not a case.
        let notCase = try await submit("Bo Bøgh", link: "wiki:Madplan i Aarhus")
        #expect(notCase.status == 1 && notCase.stderr.contains("does not name a case page"))

        // "@acc_…" links the account and takes its name; an account id is never a nominee's name.
        let linked = try await submit("@\(bo.id)", link: "wiki:case/madplan_i_aarhus")
        #expect(linked.status == 0, "\(linked.stderr)")
        let id = linked.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let nomination = try await world.nomination(id)
        #expect(nomination.nominees.map(\.name) == ["Bo Bøgh"] && nomination.nominees.map(\.accountID) == [bo.id])
        #expect(nomination.originWikiCase == "wiki:case/madplan_i_aarhus")
        let literal = try await submit(bo.id, link: "wiki:Case:Madplan i Aarhus")
        #expect(literal.status == 1 && literal.stderr.contains("is an account id, not a name"))
        let unknownAccount = try await submit("@acc_0000000000000000", link: "wiki:Case:Madplan i Aarhus")
        #expect(unknownAccount.status == 1 && unknownAccount.stderr.contains("no person account acc_0000000000000000"))
        let notAnAccount = try await submit("Bo@bostedet", link: "wiki:Case:Madplan i Aarhus")
        #expect(notAnAccount.status == 64 && notAnAccount.stderr.contains("NAME@ACCOUNT_ID"))
        // The usage line of the command used, not the root's "coictl <subcommand>".
        #expect(notAnAccount.stderr.contains("Usage: coictl nominations submit") && notAnAccount.stderr.contains("coictl nominations submit --help"))
        #expect(try await world.list(campaign).count == 1)
        await world.stop()
    }
}
