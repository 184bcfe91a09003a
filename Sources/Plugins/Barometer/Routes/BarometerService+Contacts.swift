import Foundation
import COIPluginKit
import COIProto
import GRDB

/// A workplace's contact person is the only personal data the barometer holds (responses are
/// about workplaces). Contacts are found by e-mail address across every wave's frame.
extension BarometerService {
    func registerContacts(_ router: inout Router) {
        router.unary(Coi_Barometer_V1_Waves.Method.exportContact, .read("barometer.export")) { (request: Coi_Barometer_V1_ContactRequest, _) in
            let email = try Self.email(request)
            return try await self.read { db in try Self.contacts(db, email: email) }
        }
        router.unary(Coi_Barometer_V1_Waves.Method.eraseContact, .write("barometer.manage")) { (request: Coi_Barometer_V1_ContactRequest, context) in
            let email = try Self.email(request)
            // Not the address itself: the audit log is append-only and outlives the erasure it records.
            // The hash lets an auditor confirm the erasure of an address they already know.
            context.audit.target = "contact:sha256:\(ContentHash.sha256Hex(email.lowercased()).prefix(16))"
            return try await self.write { db in
                let found = try Self.contacts(db, email: email)
                try db.run(sql: "UPDATE barometer_frame SET contact_name = '', contact_email = '' WHERE contact_email = ? COLLATE NOCASE",
                           arguments: [email])
                return found
            }
        }
    }

    static func email(_ request: Coi_Barometer_V1_ContactRequest) throws -> String {
        let email = request.email.trimmingCharacters(in: .whitespaces)
        guard email.contains("@") else { throw RPCError.invalidField("email", "must be an e-mail address, is \"\(request.email)\"") }
        return email
    }

    static func contacts(_ db: Database, email: String) throws -> Coi_Barometer_V1_ContactsReply {
        .with { reply in
            reply.contacts = (try? Row.fetchAll(db, sql: """
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
            }) ?? []
        }
    }
}
