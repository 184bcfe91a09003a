import COIPluginKit
import Foundation
import COIProto
import GRDB

extension NetworkService {
    func registerParties(_ router: inout Router) {
        router.unary(Coi_Network_V1_Parties.Method.create, .write("network.manage")) { (request: Coi_Network_V1_CreatePartyRequest, context) in
            let letter = request.letter.trimmingCharacters(in: .whitespaces).uppercased()
            guard (1...8).contains(letter.count), letter.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
                throw RPCError.invalidField("letter", "must be 1–8 letters or digits (a ballot letter, or a local list's code), is \"\(request.letter)\"")
            }
            let name = try Validation.text(request.name, "name", limit: 200)
            context.audit.target = "party:\(letter)"
            let caller = context.principal.caller
            return try await self.write { db in
                if try Self.partyLetters(db).contains(letter) {
                    throw RPCError(.alreadyExists, "party \(letter) already exists", reason: "ALREADY_EXISTS",
                                   fieldViolations: [.init(field: "letter", description: "\(letter) already exists")])
                }
                let now = Timestamp.now()
                try db.run(sql: "INSERT INTO network_parties (letter, name, national, created_by, created_at) VALUES (?, ?, 0, ?, ?)",
                           arguments: [letter, name, caller, now])
                try Events.append(db, "party.added", letter)
                return Coi_Network_V1_Party.with {
                    $0.letter = letter
                    $0.name = name
                    $0.createdAt = now
                }
            }
        }
        router.unary(Coi_Network_V1_Parties.Method.list, .read("network.read")) { (_: Coi_Network_V1_ListPartiesRequest, _) in
            try await self.read { db in
                Coi_Network_V1_ListPartiesReply.with {
                    $0.parties = (try? Row.cachedAll(db, sql: "SELECT * FROM network_parties ORDER BY national DESC, letter").map { row in
                        Coi_Network_V1_Party.with {
                            $0.letter = row["letter"]
                            $0.name = row["name"]
                            $0.national = row["national"]
                            $0.createdAt = row["created_at"]
                        }
                    }) ?? []
                }
            }
        }
    }

    /// The ballot letters known.
    static func partyLetters(_ db: Database) throws -> Set<String> {
        try String.cachedSet(db, sql: "SELECT letter FROM network_parties")
    }
}
