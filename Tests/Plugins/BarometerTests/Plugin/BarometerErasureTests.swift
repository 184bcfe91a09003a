import COIHostTesting
import COIProto
import Testing
@testable import COIBarometer

/// An account's e-mail as a workplace contact in a frame is personal data of that person: erasing
/// the account blanks the contact's name and address (issue 13 item 1's audit of every table).
@Suite struct BarometerErasureTests {
    @Test func erasingAnAccountBlanksItsFrameContacts() async throws {
        let barometer = try await BarometerFixture()
        let wave = try await barometer.drawnWave()
        let account = try await barometer.call(Coi_Identity_V1_Accounts.Method.create, .with {
            $0.kind = .person
            $0.fullName = "Åse Øberg"
            $0.email = "AASE3@example.dk"
        })
        let before = try await barometer.call(Coi_Barometer_V1_Waves.Method.exportContact, .with { $0.email = "aase3@example.dk" })
        #expect(before.contacts.map(\.contactName) == ["Åse Øberg 3"])
        let export = try await barometer.call(Coi_Identity_V1_Accounts.Method.export, .with { $0.id = account.id })
        #expect(export.json.contains("\"coi.barometer\"") && export.json.contains("aase3@example.dk"))

        _ = try await barometer.call(Coi_Identity_V1_Accounts.Method.erase, .with { $0.id = account.id })

        #expect(try await barometer.call(Coi_Barometer_V1_Waves.Method.exportContact, .with { $0.email = "aase3@example.dk" }).contacts.isEmpty)
        let rows = try await barometer.sample(wave)
        #expect(!rows.contains { $0.values.contains { $0 == "Åse Øberg 3" || $0.lowercased() == "aase3@example.dk" } })
        // Other workplaces' contacts stay.
        let other = try await barometer.call(Coi_Barometer_V1_Waves.Method.exportContact, .with { $0.email = "aase4@example.dk" })
        #expect(other.contacts.count == 1)
    }
}

extension BarometerErasureTests {
    /// Erasing a contact by address leaves no address in the append-only audit log.
    @Test func eraseContactAuditsNoAddress() async throws {
        let barometer = try await BarometerFixture()
        _ = try await barometer.drawnWave()
        let erased = try await barometer.call(Coi_Barometer_V1_Waves.Method.eraseContact, .with { $0.email = "aase5@example.dk" })
        #expect(erased.contacts.count == 1)
        let audit = try await barometer.call(Coi_Identity_V1_Audit.Method.list, .with { $0.method = "coi.barometer.v1.Waves/EraseContact" })
        let target = try #require(audit.entries.first?.target)
        #expect(target.hasPrefix("contact:sha256:") && !target.contains("aase5"))
    }
}
