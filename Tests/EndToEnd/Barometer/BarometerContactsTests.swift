import Foundation
import GRDB
import Testing

/// Issue 16 item 10: a workplace's contact person is personal data. Exported and erased through the
/// kit's personal-data path (`coictl accounts export|erase`) when the contact has an account, and by
/// address (`coictl barometer contacts export|erase`) when not; after erasure neither the name nor
/// the address is in any barometer table or export.
@Suite(.serialized) struct BarometerContactsTests {
    @Test func aContactWithAnAccountIsExportedAndErasedWithTheAccount() async throws {
        let cli = try await IdentityCLI.start()
        defer { Task { await cli.daemon.stop() } }
        let directory = try DaemonProcess.makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Two waves over the same frame: the contact is named in both.
        let first = try await BarometerWave.create(cli, in: directory, name: "Bølge 1", seed: 16)
        let second = try await BarometerWave.create(cli, in: directory, name: "Bølge 2", seed: 16)
        let unit = try #require(first.rows.first?["unit_id"])
        let name = "Søren Ørsted \(unit)", email = "kontakt.\(unit.lowercased())@kommune.dk"
        let neighbour = try #require(first.rows.dropFirst().first?["unit_id"])
        #expect(try await Self.contains(cli, [first.id, second.id], [name, email]))

        // The account's address is written in capitals: addresses compare without regard to case.
        let account = try await cli.add("Søren Ørsted", ["--email", email.uppercased()])
        let document = try await cli.object(["accounts", "export", account])
        let plugins = try #require(document["plugins"] as? [String: Any])
        let contacts = try #require((plugins["coi.barometer"] as? [String: Any])?["contacts"] as? [[String: Any]])
        #expect(contacts.count == 2)
        #expect(Set(contacts.compactMap { $0["wave_id"] as? String }) == [first.id, second.id])
        #expect(contacts.allSatisfy { $0["unit_id"] as? String == unit && $0["contact_name"] as? String == name
                && $0["contact_email"] as? String == email && ($0["workplace"] as? String ?? "").isEmpty == false })

        try await cli.ok(["accounts", "erase", account, "--yes"])
        #expect(try await Self.contains(cli, [first.id, second.id], [name, email]) == false)
        #expect(try await cli.array(["barometer", "contacts", "export", email]).isEmpty)
        let after = try await cli.object(["accounts", "export", account])
        #expect((after["plugins"] as? [String: Any])?["coi.barometer"] == nil)
        // Only that contact: the next workplace's contact is still there.
        #expect(try await cli.array(["barometer", "contacts", "export", "kontakt.\(neighbour.lowercased())@kommune.dk"]).count == 2)
    }

    @Test func aContactWithoutAnAccountIsExportedAndErasedByAddress() async throws {
        let cli = try await IdentityCLI.start()
        defer { Task { await cli.daemon.stop() } }
        let directory = try DaemonProcess.makeDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try await BarometerWave.create(cli, in: directory, name: "Bølge 1", seed: 16)
        let second = try await BarometerWave.create(cli, in: directory, name: "Bølge 2", seed: 16)
        let unit = try #require(first.rows.last?["unit_id"])
        let name = "Søren Ørsted \(unit)", email = "kontakt.\(unit.lowercased())@kommune.dk"

        let exported = try await cli.array(["barometer", "contacts", "export", email.uppercased()])
        #expect(exported.count == 2 && exported.allSatisfy { $0["contact_name"] as? String == name && $0["unit_id"] as? String == unit })
        let table = try await cli.ok(["barometer", "contacts", "export", email])
        #expect(table.contains(name) && table.contains("WORKPLACE"))

        let erased = try await cli.array(["barometer", "contacts", "erase", email])
        #expect(erased.count == 2 && erased.allSatisfy { $0["contact_email"] as? String == email })
        #expect(try await Self.contains(cli, [first.id, second.id], [name, email]) == false)
        #expect(try await cli.ok(["barometer", "contacts", "export", email]).contains("no frame names"))
        #expect(try await cli.ok(["barometer", "contacts", "erase", email]).contains("from 0 frame entries"))
        // The audit log, which outlives the erasure, names the address only by its hash.
        let audit = try await cli.ok(["audit", "ls", "--all", "--json"])
        #expect(!audit.lowercased().contains(email) && audit.contains("contact:sha256:"), "\(audit.suffix(2000))")
        try await cli.rejected(["barometer", "contacts", "erase", "ikke-en-adresse"], "INVALID_ARGUMENT", mentions: ["e-mail"])
    }

    /// Whether any of the texts appears, ignoring case, in any text of any barometer table of the
    /// daemon's database or in any export of the waves (sample, reminders, microdata with text,
    /// codebooks, estimates).
    static func contains(_ cli: IdentityCLI, _ waves: [String], _ texts: [String]) async throws -> Bool {
        let wanted = texts.map { $0.lowercased() }
        var found = false
        for wave in waves {
            var outputs = [try await cli.ok(["barometer", "sample", "export", wave]),
                           try await cli.ok(["barometer", "sample", "reminders", wave]),
                           try await cli.ok(["barometer", "export", wave, "microdata", "--include-text"])]
            for table in ["codebook", "codebook-json", "estimates"] { outputs.append(try await cli.ok(["barometer", "export", wave, table])) }
            found = found || outputs.contains { output in wanted.contains { output.lowercased().contains($0) } }
        }
        let database = cli.daemon.directory.appendingPathComponent("state/coid.db").path
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: database, configuration: configuration)
        let inTables = try await queue.read { db in
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'barometer%'")
            var hits = 0
            for table in tables {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"") {
                    for (_, value) in row {
                        if case .string(let text) = value.storage, wanted.contains(where: { text.lowercased().contains($0) }) { hits += 1 }
                    }
                }
            }
            #expect(tables.count >= 5)
            return hits
        }
        try queue.close()
        return found || inTables > 0
    }
}
