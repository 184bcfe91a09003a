import COIProto
import Foundation
import Testing

/// Danish text everywhere (issue 13 item 7): names are searched folded the Danish way, regions and
/// municipalities are accepted as people write them wherever a command takes one, and tables print
/// proper names, not slugs.
@Suite struct CoictlDanishTextTests {
    @Test func namesRegionsAndMunicipalitiesAsDanesWriteThem() async throws {
        let world = try await NominationsWorld.start()
        let cli = world.cli
        // A municipality by name, without Danish letters.
        let soren = try await cli.ok(["accounts", "add", "--name", "Søren Sørensen", "--municipality", "lyngby-taarbaek"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try await cli.ok(["accounts", "add", "--name", "Bo Nielsen", "--municipality", "København"])
        #expect(try await cli.object(["accounts", "show", soren])["municipality_code"] as? Int == 173)
        for query in ["SØRENSEN", "soerensen", "sorensen", "søren sø", "Soeren"] {
            let found = try await cli.array(["accounts", "ls", "--query", query])
            #expect(found.map { $0["id"] as? String } == [soren], "--query \(query)")
        }
        let table = try await cli.ok(["accounts", "ls", "--query", "soerensen"])
        #expect(table.contains("Søren Sørensen") && table.contains("Lyngby-Taarbæk"), "\(table)")
        try await cli.rejected(["accounts", "add", "--name", "X", "--municipality", "Atlantis"], "INVALID_ARGUMENT",
                               mentions: ["--municipality", "Atlantis"])
        try await cli.rejected(["accounts", "add", "--name", "X", "--municipality", "Region Sjælland"], "INVALID_ARGUMENT",
                               mentions: ["is a region"])

        // Nominations: a municipality by name, regions in every spelling, names in tables.
        let campaign = try await cli.ok(["nominations", "campaigns", "create", "--kind", "idea", "--year", "2026", "--title", "Små idéer"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try await world.setPhase(campaign, "open")
        let nominator = try await world.person("Nina Nord")
        let nomination = try await cli.ok(["nominations", "submit", campaign, "--nominee", "Søren Sø", "--workplace", "Næstved Bibliotek",
                                           "--municipality", "naestved", "--title", "Lån en cykel", "--idea", "Cykler.", "--difference", "Mindre bil."],
                                          token: nominator.token).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try await world.nomination(nomination).municipalityCode == 370)
        for region in ["sjælland", "Sjaelland", "Region Sjælland", "region sjaelland", "1085", "sjaelland"] {
            let listed = try await cli.array(["nominations", "ls", campaign, "--region", region])
            #expect(listed.map { $0["id"] as? String } == [nomination], "--region \(region)")
        }
        #expect(try await cli.array(["nominations", "ls", campaign, "--region", "Hovedstaden"]).isEmpty)
        try await cli.rejected(["nominations", "ls", campaign, "--region", "Atlantis"], "INVALID_ARGUMENT", mentions: ["region", "Region Sjælland"])
        let nominations = try await cli.ok(["nominations", "ls", campaign])
        #expect(nominations.contains("Region Sjælland") && !nominations.contains(" sjaelland "), "\(nominations)")
        let juror = try await world.person("Jens Jury")
        _ = try await cli.ok(["nominations", "jurors", "add", campaign, juror.id, "--region", "Region Sjælland"])
        let jurors = try await cli.array(["nominations", "jurors", "ls", campaign])
        #expect(jurors.first?["region"] as? String == "sjaelland" && jurors.first?["region_name"] as? String == "Region Sjælland")
        #expect(try await cli.ok(["nominations", "jurors", "ls", campaign]).contains("Region Sjælland"))

        // The wiki's case list takes the same spellings.
        let anna = try await world.person("Anna", roles: ["member"])
        let saved = try await runCommand(DaemonProcess.coictl, ["wiki", "edit", "Case:Cykelbibliotek", "--level", "municipality", "--municipality",
                                                                "Næstved", "--sector", "transport", "--socket", cli.daemon.socketPath, "--token", anna.token],
                                         environment: ["COI_TOKEN": ""], input: "Lån en cykel på biblioteket.\n")
        #expect(saved.status == 0, "\(saved)")
        for region in ["sjælland", "Region Sjælland", "1085"] {
            #expect(try await cli.ok(["wiki", "cases", "--region", region], token: anna.token).contains("Case:Cykelbibliotek"), "\(region)")
        }
        #expect(try await cli.ok(["wiki", "cases", "--municipality", "naestved"], token: anna.token).contains("Næstved"))
        await world.stop()
    }
}
