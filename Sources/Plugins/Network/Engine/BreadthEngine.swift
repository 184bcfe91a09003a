import COIPluginKit

/// Breadth of support, computed from the active members' seats: counts by party, body and region,
/// the party × body table, the effective number of parties and the launch verdict. Pure.
public enum BreadthEngine {
    /// One active member's seat.
    public struct Seat: Sendable, Equatable {
        public var party: String
        public var body: Body
        /// 0 when unknown (a Folketing member who gave no constituency).
        public var regionCode: Int

        public init(party: String, body: Body, regionCode: Int) {
            self.party = party
            self.body = body
            self.regionCode = regionCode
        }
    }

    /// The computed breadth.
    public struct Result: Sendable, Equatable {
        public var activeMembers: Int
        public var byParty: [String: Int]
        /// Every body, with 0 where there is nobody.
        public var byBody: [Body: Int]
        /// Every region code, with 0 where there is nobody.
        public var byRegion: [Int: Int]
        public var partyBody: [String: [Body: Int]]
        public var effectiveParties: Double
        public var viable: Bool
        public var missing: [String]
    }

    /// Computes breadth against criteria.
    /// - Parameters:
    ///   - seats: The active members' seats.
    ///   - criteria: The launch criteria.
    /// - Returns: Counts, the effective number of parties, the verdict and what is missing.
    public static func compute(_ seats: [Seat], criteria: LaunchCriteria) -> Result {
        var byParty: [String: Int] = [:]
        var byBody = Dictionary(uniqueKeysWithValues: Body.allCases.map { ($0, 0) })
        var byRegion = Dictionary(uniqueKeysWithValues: Denmark.regions.map { ($0.code, 0) })
        var partyBody: [String: [Body: Int]] = [:]
        for seat in seats {
            byParty[seat.party, default: 0] += 1
            byBody[seat.body, default: 0] += 1
            if seat.regionCode != 0 { byRegion[seat.regionCode, default: 0] += 1 }
            partyBody[seat.party, default: [:]][seat.body, default: 0] += 1
        }
        let effective = effectiveParties(Array(byParty.values))
        let missing = missing(members: seats.count, parties: byParty.count, byBody: byBody, byRegion: byRegion, criteria: criteria)
        return Result(activeMembers: seats.count, byParty: byParty, byBody: byBody, byRegion: byRegion, partyBody: partyBody,
                      effectiveParties: effective, viable: missing.isEmpty, missing: missing)
    }

    /// The effective number of parties (Laakso–Taagepera): 1/Σp² over each party's share p.
    /// - Parameter counts: Members per party.
    /// - Returns: The number; 0 when there are no members.
    public static func effectiveParties(_ counts: [Int]) -> Double {
        let total = Double(counts.reduce(0, +))
        guard total > 0 else { return 0 }
        let concentration = counts.reduce(0.0) { sum, count in
            let share = Double(count) / total
            return sum + share * share
        }
        return 1 / concentration
    }

    /// What stands between the network and its launch, in words.
    static func missing(members: Int, parties: Int, byBody: [Body: Int], byRegion: [Int: Int], criteria: LaunchCriteria) -> [String] {
        var missing: [String] = []
        if members < criteria.minMembers {
            let short = criteria.minMembers - members
            missing.append("\(short) more active member\(short == 1 ? "" : "s") needed (\(members) of \(criteria.minMembers))")
        }
        if parties < criteria.minParties {
            let short = criteria.minParties - parties
            missing.append("\(short) more part\(short == 1 ? "y" : "ies") needed (\(parties) of \(criteria.minParties))")
        }
        let emptyBodies = Body.allCases.filter { byBody[$0, default: 0] == 0 }
        let bodiesShort = criteria.minBodies - (Body.allCases.count - emptyBodies.count)
        if bodiesShort > 0 {
            if criteria.minBodies >= Body.allCases.count {
                missing += emptyBodies.map(\.missingPhrase)
            } else {
                missing.append("members in \(bodiesShort) more bod\(bodiesShort == 1 ? "y" : "ies") needed (none yet in: "
                               + emptyBodies.map { $0.slug.replacing("_", with: " ") }.joined(separator: ", ") + ")")
            }
        }
        let emptyRegions = Denmark.regions.filter { byRegion[$0.code, default: 0] == 0 }
        let regionsShort = criteria.minRegions - (Denmark.regions.count - emptyRegions.count)
        if regionsShort > 0 {
            if criteria.minRegions >= Denmark.regions.count {
                missing += emptyRegions.map { "no member in \($0.name)" }
            } else {
                missing.append("members in \(regionsShort) more region\(regionsShort == 1 ? "" : "s") needed (none yet in: "
                               + emptyRegions.map(\.name).joined(separator: ", ") + ")")
            }
        }
        return missing
    }
}
