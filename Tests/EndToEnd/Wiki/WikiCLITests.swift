import Foundation
import Testing

/// The `coictl wiki` commands against the real daemon.
@Suite struct WikiCLITests {
    /// Runs coictl with text on stdin.
    func run(_ cli: IdentityCLI, _ arguments: [String], token: String, input: String = "") async throws -> IdentityCLI.Outcome {
        try await runCommand(DaemonProcess.coictl, arguments + ["--socket", cli.daemon.socketPath, "--token", token],
                             environment: ["COI_TOKEN": ""], input: input)
    }

    func ok(_ cli: IdentityCLI, _ arguments: [String], token: String, input: String = "",
            sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let result = try await run(cli, arguments, token: token, input: input)
        #expect(result.status == 0, "coictl \(arguments.joined(separator: " ")): \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func editMergeConflictHistoryDiffAndSearch() async throws {
        let cli = try await IdentityCLI.start()
        defer { Task { await cli.daemon.stop() } }
        let anna = try await cli.issue(try await cli.add("Anna Jensen", ["--role", "member"]))
        let bo = try await cli.issue(try await cli.add("Bo Østergaard", ["--role", "member"]))

        let r1 = try await ok(cli, ["wiki", "edit", "Borgerbudget i Århus", "--summary", "Ny"], token: anna,
                              input: "# Borgerbudget\n\nAarhus Kommune lader borgerne bestemme.\n\nKontakt: rådhuset\n")
        #expect(r1.hasPrefix("rev_"))
        let got = try await run(cli, ["wiki", "get", "borgerbudget i århus"], token: bo)
        #expect(got.stdout.contains("Aarhus Kommune lader") && got.stderr.contains(r1))
        // Without a base the page's existence is a lost-update risk: refused.
        let noBase = try await run(cli, ["wiki", "edit", "Borgerbudget i Århus"], token: bo, input: "x")
        #expect(noBase.status == 1 && noBase.stderr.contains("ABORTED"))

        let r2 = try await ok(cli, ["wiki", "edit", "Borgerbudget i Århus", "--base", r1], token: anna,
                              input: "# Borgerbudget\n\nAarhus Kommune lader borgerne bestemme over 10 mio. kr.\n\nKontakt: rådhuset\n")
        // Bo edited another line from r1: merged, and told so.
        let merged = try await run(cli, ["wiki", "edit", "Borgerbudget i Århus", "--base", r1], token: bo,
                                   input: "# Borgerbudget\n\nAarhus Kommune lader borgerne bestemme.\n\nKontakt: borgerservice\n")
        #expect(merged.status == 0 && merged.stderr.contains("merged cleanly with \(r2)"), "\(merged)")
        // Bo edits the line Anna changed, from r1: conflict markers on stderr, exit 1.
        let conflict = try await run(cli, ["wiki", "edit", "Borgerbudget i Århus", "--base", r1], token: bo,
                                     input: "# Borgerbudget\n\nAarhus Kommune lader alle bestemme.\n\nKontakt: rådhuset\n")
        #expect(conflict.status == 1)
        #expect(conflict.stderr.contains("<<<<<<< yours") && conflict.stderr.contains("Aarhus Kommune lader alle bestemme."))
        #expect(conflict.stderr.contains("over 10 mio. kr."))

        let history = try await ok(cli, ["wiki", "history", "Borgerbudget i Århus"], token: bo)
        #expect(history.contains("Anna Jensen") && history.contains("Bo Østergaard") && history.contains("merged"))
        let diff = try await ok(cli, ["wiki", "diff", r1, r2, "--words"], token: bo)
        #expect(diff.contains("{+ over 10 mio"), "\(diff)")

        let found = try await ok(cli, ["wiki", "search", "Århus"], token: bo)
        #expect(found.contains("Borgerbudget i Århus") && found.contains("«Aarhus»"), "\(found)")
        let file = cli.daemon.directory.appendingPathComponent("tekst.md")
        try "Fra en fil om Koebenhavn.\n".write(to: file, atomically: true, encoding: .utf8)
        _ = try await ok(cli, ["wiki", "edit", "Filside", "--file", file.path], token: bo)
        #expect(try await ok(cli, ["wiki", "search", "København"], token: anna).contains("Filside"))
        let recent = try await ok(cli, ["wiki", "recent"], token: anna)
        #expect(recent.contains("Filside") && recent.contains("Borgerbudget i Århus"))
    }

    /// Issue 13 item 4: case fields through coictl are edited like the text.
    @Test func caseFieldsKeepWhatIsNotGivenAndShowInDiffHistoryAndGet() async throws {
        let cli = try await IdentityCLI.start()
        defer { Task { await cli.daemon.stop() } }
        let anna = try await cli.issue(try await cli.add("Anna Jensen", ["--role", "member"]))
        // The municipality by name, in a spelling without Danish letters.
        let r1 = try await ok(cli, ["wiki", "edit", "Case:Sundhedshus", "--level", "municipality", "--municipality", "aarhus",
                                    "--sector", "health", "--effect", "Færre indlæggelser", "--contact", "Rådhuset"],
                              token: anna, input: "Et hus.\n")
        // --effect alone: saved (not "no change"), the level and everything else kept.
        let effect = try await run(cli, ["wiki", "edit", "Case:Sundhedshus", "--base", r1, "--effect", "Halvt så mange indlæggelser"],
                                   token: anna, input: "Et hus.\n")
        #expect(effect.status == 0 && !effect.stderr.contains("no change"), "\(effect)")
        let r2 = effect.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let page = try await cli.object(["wiki", "get", "Case:Sundhedshus"], token: anna)
        let fields = try #require(page["case_fields"] as? [String: Any])
        #expect(fields["level"] as? String == "MUNICIPALITY" && fields["municipality_code"] as? Int == 751 && fields["sector"] as? String == "health")
        #expect(fields["effect"] as? String == "Halvt så mange indlæggelser" && fields["contact"] as? String == "Rådhuset")
        // Without --json the fields are shown (on stderr, so stdout stays the text for pipes).
        let shown = try await run(cli, ["wiki", "get", "Case:Sundhedshus"], token: anna)
        #expect(shown.stdout == "Et hus.\n")
        #expect(shown.stderr.contains("level: municipality") && shown.stderr.contains("effect: Halvt så mange indlæggelser"), "\(shown)")
        let diff = try await ok(cli, ["wiki", "diff", r1, r2], token: anna)
        #expect(diff.contains("@@ case field effect @@") && diff.contains("-Færre indlæggelser") && diff.contains("+Halvt så mange"), "\(diff)")
        let history = try await ok(cli, ["wiki", "history", "Case:Sundhedshus"], token: anna)
        #expect(history.contains("FIELDS") && history.split(separator: "\n").contains { $0.contains(r2) && $0.contains("effect") }, "\(history)")
        // The region by its Danish name moves the case to the regional level.
        _ = try await ok(cli, ["wiki", "edit", "Case:Sundhedshus", "--base", r2, "--level", "region", "--region", "Region Sjælland"],
                         token: anna, input: "Et hus.\n")
        let moved = try #require(try await cli.object(["wiki", "get", "Case:Sundhedshus"], token: anna)["case_fields"] as? [String: Any])
        #expect(moved["region_code"] as? Int == 1085 && (moved["municipality_code"] as? Int ?? 0) == 0 && moved["sector"] as? String == "health")
        // Wrong use is an error naming the option; nothing saved.
        _ = try await ok(cli, ["wiki", "edit", "Plan"], token: anna, input: "tekst\n")
        let sector = try await run(cli, ["wiki", "edit", "Plan", "--sector", "health"], token: anna, input: "tekst 2\n")
        #expect(sector.status == 64 && sector.stderr.contains("--sector") && sector.stderr.contains("Case:"), "\(sector)")
        let place = try await run(cli, ["wiki", "edit", "Case:Sundhedshus", "--municipality", "Oslo"], token: anna, input: "Et hus.\n")
        #expect(place.status == 1 && place.stderr.contains("--municipality") && place.stderr.contains("Oslo"), "\(place)")
        let notRegion = try await run(cli, ["wiki", "edit", "Case:Sundhedshus", "--region", "Gladsaxe"], token: anna, input: "Et hus.\n")
        #expect(notRegion.status == 1 && notRegion.stderr.contains("is a municipality"), "\(notRegion)")
    }

    @Test func adminToolsAndExportImportRoundTrip() async throws {
        let cli = try await IdentityCLI.start()
        defer { Task { await cli.daemon.stop() } }
        let annaID = try await cli.add("Anna Jensen", ["--role", "member"])
        let anna = try await cli.issue(annaID)
        let vandalID = try await cli.add("Vandal", ["--role", "member"])
        let vandal = try await cli.issue(vandalID)
        let admin = try await cli.issue(try await cli.add("Admin", ["--role", "admin"]))

        let r1 = try await ok(cli, ["wiki", "edit", "Case:Sundhedshus", "--level", "municipality", "--municipality", "751",
                                    "--sector", "health", "--effect", "Færre indlæggelser"], token: anna, input: "Et hus. [[Aarhus]]\n")
        let bad = try await ok(cli, ["wiki", "edit", "Case:Sundhedshus", "--base", r1], token: vandal, input: "spam\n")
        let rolled = try await run(cli, ["wiki", "rollback", "Case:Sundhedshus", "--author", vandalID], token: anna)
        #expect(rolled.status == 1 && rolled.stderr.contains("PERMISSION_DENIED"))
        _ = try await ok(cli, ["wiki", "rollback", "Case:Sundhedshus", "--author", vandalID], token: admin)
        #expect(try await ok(cli, ["wiki", "get", "Case:Sundhedshus"], token: anna) == "Et hus. [[Aarhus]]")
        let undo = try await run(cli, ["wiki", "undo", bad], token: anna)
        #expect(undo.status == 1 && undo.stderr.contains("FAILED_PRECONDITION") && undo.stderr.contains("nothing to undo"))
        let cases = try await ok(cli, ["wiki", "cases", "--municipality", "751"], token: anna)
        #expect(cases.contains("Case:Sundhedshus") && cases.contains("Aarhus"))
        #expect(try await ok(cli, ["wiki", "wanted"], token: anna).contains("Aarhus"))
        #expect(try await ok(cli, ["wiki", "backlinks", "Aarhus"], token: anna) == "Case:Sundhedshus")

        let out = cli.daemon.directory.appendingPathComponent("export").path
        _ = try await ok(cli, ["wiki", "export", "Case:Sundhedshus", "--out", out], token: anna)
        #expect(FileManager.default.fileExists(atPath: out + "/page.json"))
        #expect(try String(contentsOfFile: out + "/revisions/000001.md", encoding: .utf8) == "Et hus. [[Aarhus]]\n")
        // Issue 13 item 11: a second export into the same folder is refused unless forced.
        let again = try await run(cli, ["wiki", "export", "Case:Sundhedshus", "--out", out], token: anna)
        #expect(again.status == 1 && again.stderr.contains("not empty") && again.stderr.contains("--force"), "\(again)")
        _ = try await ok(cli, ["wiki", "export", "Case:Sundhedshus", "--out", out, "--force"], token: anna)
        #expect(try String(contentsOfFile: out + "/revisions/000001.md", encoding: .utf8) == "Et hus. [[Aarhus]]\n")
        // A page that does not exist leaves no folder behind, and a forced export of one leaves
        // the earlier export as it was.
        let nowhere = cli.daemon.directory.appendingPathComponent("nowhere/deeper").path
        let missing = try await run(cli, ["wiki", "export", "Case:Findes ikke", "--out", nowhere], token: anna)
        #expect(missing.status == 1 && missing.stderr.contains("NOT_FOUND"), "\(missing)")
        #expect(!FileManager.default.fileExists(atPath: cli.daemon.directory.appendingPathComponent("nowhere").path))
        let kept = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        let forced = try await run(cli, ["wiki", "export", "Case:Findes ikke", "--out", out, "--force"], token: anna)
        #expect(forced.status == 1 && forced.stderr.contains("NOT_FOUND"), "\(forced)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == kept)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.daemon.directory.path).filter { $0.contains("partial") }.isEmpty)
        #expect(try String(contentsOfFile: out + "/revisions/000001.md", encoding: .utf8) == "Et hus. [[Aarhus]]\n")
        let denied = try await run(cli, ["wiki", "import", out, "--title", "Case:Kopi"], token: anna)
        #expect(denied.status == 1 && denied.stderr.contains("PERMISSION_DENIED"), "\(denied)")
        _ = try await ok(cli, ["wiki", "import", out, "--title", "Case:Kopi"], token: admin)
        let copy = cli.daemon.directory.appendingPathComponent("copy").path
        _ = try await ok(cli, ["wiki", "export", "Case:Kopi", "--out", copy], token: anna)
        for index in 1...3 {
            let name = String(format: "/revisions/%06d.md", index)
            #expect(try String(contentsOfFile: out + name, encoding: .utf8) == String(contentsOfFile: copy + name, encoding: .utf8))
        }

        _ = try await ok(cli, ["wiki", "rename", "Case:Kopi", "Case:Kopi 2"], token: anna)
        #expect(try await ok(cli, ["wiki", "get", "Case:Kopi"], token: anna) == "Et hus. [[Aarhus]]")
        _ = try await ok(cli, ["wiki", "protect", "Case:Kopi 2", "admin-only"], token: admin)
        let protected = try await run(cli, ["wiki", "delete", "Case:Kopi 2"], token: admin)
        #expect(protected.status == 0, "\(protected.stderr)")
        let gone = try await run(cli, ["wiki", "get", "Case:Kopi 2"], token: anna)
        #expect(gone.status == 1 && gone.stderr.contains("NOT_FOUND"))
        _ = try await ok(cli, ["wiki", "undelete", "Case:Kopi 2"], token: admin)
        #expect(try await ok(cli, ["wiki", "history", "Case:Kopi 2"], token: anna).contains("rename"))
        _ = try await ok(cli, ["wiki", "watch", "Case:Kopi 2"], token: anna)
        #expect(try await ok(cli, ["wiki", "watched"], token: anna).contains("Case:Kopi 2"))
        #expect(try await ok(cli, ["wiki", "watchlist"], token: anna).contains("Case:Kopi 2"))
        #expect(try await ok(cli, ["wiki", "contributions", annaID], token: anna).contains("Case:Sundhedshus"))
        #expect(try await ok(cli, ["wiki", "credits", "Case:Sundhedshus"], token: anna).contains("Vandal"))
    }
}
