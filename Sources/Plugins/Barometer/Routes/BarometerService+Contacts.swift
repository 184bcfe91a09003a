import Foundation
import COIPluginKit
import COIProto
import GRDB

/// A workplace's contact person is the only personal data the barometer holds (responses are
/// about workplaces). Contacts are found by e-mail address across every wave's frame, here for
/// contacts without an account, and through `coictl accounts export|erase` (the kit's
/// `PersonalDataHolder`, `BarometerPlugin+PersonalData.swift`) for those who have one.
extension BarometerService {
    func registerContacts(_ router: inout Router) {
        // Audited, by the address's hash as erasures are: who looked up a person is on record.
        router.unary(Coi_Barometer_V1_Waves.Method.exportContact, .read("barometer.export").audited()) { (request: Coi_Barometer_V1_ContactRequest, context) in
            let email = try Self.email(request)
            context.audit.target = "contact:sha256:" + ContentHash.sha256Hex(email.lowercased())
            return try await self.read { db in try Coi_Barometer_V1_ContactsReply.with { $0.contacts = try Contacts.find(db, email: email) } }
        }
        router.unary(Coi_Barometer_V1_Waves.Method.eraseContact, .write("barometer.manage")) { (request: Coi_Barometer_V1_ContactRequest, context) in
            let email = try Self.email(request)
            // The audit log outlives the erasure, so it names the address by its hash, never as text.
            context.audit.target = "contact:sha256:" + ContentHash.sha256Hex(email.lowercased())
            return try await self.write { db in try Coi_Barometer_V1_ContactsReply.with { $0.contacts = try Contacts.erase(db, email: email) } }
        }
    }

    static func email(_ request: Coi_Barometer_V1_ContactRequest) throws -> String {
        let email = request.email.trimmingCharacters(in: .whitespaces)
        guard email.contains("@") else { throw RPCError.invalidField("email", "must be an e-mail address, is \"\(request.email)\"") }
        return email
    }
}

/// The contact persons in the frames, by e-mail address (compared without regard to case).
enum Contacts {
    /// Every frame entry naming the address, in wave and unit order.
    /// - Parameters:
    ///   - db: A transaction.
    ///   - email: The address.
    /// - Returns: The entries.
    static func find(_ db: Database, email: String) throws -> [Coi_Barometer_V1_Contact] {
        try Row.fetchAll(db, sql: """
            SELECT wave_id, unit_id, name, contact_name, contact_email FROM barometer_frame WHERE contact_email = ? COLLATE NOCASE
            ORDER BY wave_id, unit_id
            """, arguments: [email]).map { row in
            Coi_Barometer_V1_Contact.with {
                $0.waveID = row["wave_id"]
                $0.unitID = row["unit_id"]
                $0.workplace = row["name"]
                $0.contactName = row["contact_name"]
                $0.contactEmail = row["contact_email"]
            }
        }
    }

    /// Blanks the name and address of every frame entry naming the address. The frame is the only
    /// place they are stored: the sample export and the reminders read them from it, and no other
    /// export contains them.
    /// - Parameters:
    ///   - db: A write transaction.
    ///   - email: The address.
    /// - Returns: The entries as they were before erasure.
    static func erase(_ db: Database, email: String) throws -> [Coi_Barometer_V1_Contact] {
        let found = try find(db, email: email)
        try db.execute(sql: "UPDATE barometer_frame SET contact_name = '', contact_email = '' WHERE contact_email = ? COLLATE NOCASE",
                       arguments: [email])
        return found
    }

    /// The entries as JSON-serializable dictionaries, with the proto's field names.
    static func json(_ contacts: [Coi_Barometer_V1_Contact]) -> [[String: Any]] {
        contacts.map {
            ["wave_id": $0.waveID, "unit_id": $0.unitID, "workplace": $0.workplace, "contact_name": $0.contactName,
             "contact_email": $0.contactEmail]
        }
    }
}
