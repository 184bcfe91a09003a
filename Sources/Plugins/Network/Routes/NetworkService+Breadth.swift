import Foundation
import COIPluginKit
import COIProto
import GRDB

extension NetworkService {
    func registerBreadth(_ router: inout Router) {
        router.unary(Coi_Network_V1_Network.Method.getBreadth, .read("network.read")) { (request: Coi_Network_V1_GetBreadthRequest, _) in
            let asOf = try Self.asOf(request.asOf)
            let criteria = self.settings.criteria
            let seats = try await self.read { db in try Self.seats(db, asOf: asOf) }
            let result = BreadthEngine.compute(seats, criteria: criteria)
            return Coi_Network_V1_Breadth.with {
                $0.asOf = asOf
                $0.activeMembers = Int32(result.activeMembers)
                $0.byParty = result.byParty.mapValues { Int32($0) }
                $0.byBody = Dictionary(uniqueKeysWithValues: result.byBody.map { ($0.key.slug, Int32($0.value)) })
                $0.byRegion = Dictionary(uniqueKeysWithValues: result.byRegion.map { (String($0.key), Int32($0.value)) })
                $0.partyBody = result.partyBody.keys.sorted().flatMap { party in
                    result.partyBody[party, default: [:]].keys.sorted().map { body in
                        Coi_Network_V1_PartyBodyCount.with {
                            $0.party = party
                            $0.body = Coi_Network_V1_Body(rawValue: body.rawValue) ?? .unspecified
                            $0.count = Int32(result.partyBody[party]?[body] ?? 0)
                        }
                    }
                }
                $0.effectiveParties = result.effectiveParties
                $0.viable = result.viable
                $0.missing = result.missing
                $0.criteria = .with {
                    $0.minMembers = Int32(criteria.minMembers)
                    $0.minParties = Int32(criteria.minParties)
                    $0.minBodies = Int32(criteria.minBodies)
                    $0.minRegions = Int32(criteria.minRegions)
                }
            }
        }
    }

    /// The instant breadth is computed at: a date means the end of that day (UTC).
    static func asOf(_ text: String) throws -> String {
        if text.isEmpty { return Timestamp.now() }
        guard let date = Timestamp.parse(text) else {
            throw RPCError.invalidField("as_of", "must be a date YYYY-MM-DD or an RFC 3339 time, is \"\(text)\"")
        }
        let instant = text.count == 10 ? date.addingTimeInterval(86_400 - 0.000_001) : date
        guard instant <= Date().addingTimeInterval(1) || text.count == 10 else {
            throw RPCError.invalidField("as_of", "\(text) is in the future; breadth is known up to now")
        }
        return Timestamp.string(instant)
    }

    /// Every member's seat as it was at `asOf`, of those active then.
    static func seats(_ db: Database, asOf: String) throws -> [BreadthEngine.Seat] {
        try Row.cachedAll(db, sql: """
            SELECT h.party, h.body, h.region_code FROM network_member_history h
            WHERE h.status = 2 AND h.seq = (SELECT MAX(h2.seq) FROM network_member_history h2
                                            WHERE h2.member_id = h.member_id AND h2.valid_from <= ?)
            """, arguments: [asOf]).map { row in
            BreadthEngine.Seat(party: row["party"], body: Body(rawValue: row["body"]) ?? .municipalCouncil, regionCode: row["region_code"])
        }
    }
}
