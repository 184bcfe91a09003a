import COIPluginKit
import COIProto
import COIWire
import GRDB

/// Writes checked import files into a season, in the caller's transaction: either every row is
/// stored or, on the first problem, the error names it and the transaction rolls back.
///
/// Refs in preferences.csv and host_rankings.csv resolve against the files and the records
/// already in the season; a seeker listed in preferences.csv gets exactly the file's choices, and
/// an offer listed in host_rankings.csv exactly the file's ranking.
struct ImportPlan {
    let files: ImportFiles
    let season: SeasonRecord
    let caller: String
    let now = Timestamp.now()

    /// Stores everything; returns the counts for the reply.
    func run(_ db: Database) throws -> Coi_Placements_V1_ImportReply {
        var accounts = try AccountNames.peopleByEmail(db)
        var created = 0
        func account(_ email: String, name: String, workplace: String = "", municipality: Int = 0) throws -> String {
            if let id = accounts[email] { return id }
            let id = Identifier.make("acc")
            try AccountNames.createPerson(db, id: id, fullName: name, email: email, workplace: workplace, municipalityCode: municipality,
                                          createdBy: caller, now: now)
            accounts[email] = id
            created += 1
            return id
        }

        var offerIDs = try Self.refs(db, "placements_offers", season.id)
        var publishedOffers = try String.cachedSet(db, sql: "SELECT ref FROM placements_offers WHERE season_id = ? AND published = 1 AND ref != ''",
                                                   arguments: [season.id])
        for offer in files.offers {
            guard offerIDs[offer.fields.ref] == nil else {
                throw ImportError.at("offers.csv", line: offer.line, column: "ref", "season \(season.id) already has an offer \(offer.fields.ref)")
            }
            let contact = try account(offer.contactEmail, name: offer.contactEmail, workplace: offer.fields.hostWorkplace,
                                      municipality: offer.fields.municipality.code)
            let id = Identifier.make("off")
            try offer.fields.insert(db, id: id, seasonID: season.id, contactID: contact, published: true, now: now)
            offerIDs[offer.fields.ref] = id
            publishedOffers.insert(offer.fields.ref)
        }

        var seekerIDs = try Self.refs(db, "placements_seekers", season.id)
        var seekerAccounts = try String.cachedSet(db, sql: "SELECT account_id FROM placements_seekers WHERE season_id = ?", arguments: [season.id])
        // People first, so a manager who is also a seeker gets the seeker row's name.
        for seeker in files.seekers {
            _ = try account(seeker.email, name: seeker.fullName, workplace: seeker.homeWorkplace, municipality: seeker.municipality.code)
        }
        for seeker in files.seekers {
            guard seekerIDs[seeker.ref] == nil else {
                throw ImportError.at("seekers.csv", line: seeker.line, column: "ref", "season \(season.id) already has a seeker \(seeker.ref)")
            }
            let person = try account(seeker.email, name: seeker.fullName)
            guard seekerAccounts.insert(person).inserted else {
                throw ImportError.at("seekers.csv", line: seeker.line, column: "email", "\(seeker.email) is already a seeker in season \(season.id)")
            }
            let manager = try account(seeker.managerEmail, name: seeker.managerEmail)
            let id = Identifier.make("skr")
            try db.run(sql: """
                INSERT INTO placements_seekers (id, season_id, ref, account_id, home_workplace, level, municipality_code, region_code, role,
                    learning_goals, manager_id, approval, approval_reason, approval_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, '', '', ?, ?, ?, ?, ?)
                """, arguments: [id, season.id, seeker.ref, person, seeker.homeWorkplace, seeker.level.rawValue, seeker.municipality.code,
                                 seeker.municipality.regionCode, manager, seeker.approval.rawValue,
                                 seeker.approval == .pending ? "" : "imported", seeker.approval == .pending ? "" : now, now])
            seekerIDs[seeker.ref] = id
        }

        // Choices: each seeker's rows in rank order.
        var choices: [String: [(offerID: String, line: Int)]] = [:]
        for row in files.preferences.sorted(by: { ($0.owner, $0.rank) < ($1.owner, $1.rank) }) {
            guard let seeker = seekerIDs[row.owner] else {
                throw ImportError.at("preferences.csv", line: row.line, column: "seeker_ref", "no seeker \(row.owner) in seekers.csv or the season")
            }
            guard let offer = offerIDs[row.other], publishedOffers.contains(row.other) else {
                throw ImportError.at("preferences.csv", line: row.line, column: "offer_ref", "no published offer \(row.other) in offers.csv or the season")
            }
            if choices[seeker, default: []].contains(where: { $0.offerID == offer }) {
                throw ImportError.at("preferences.csv", line: row.line, column: "offer_ref", "\(row.owner) ranks \(row.other) twice")
            }
            choices[seeker, default: []].append((offer, row.line))
            if choices[seeker, default: []].count > season.maxChoices {
                throw ImportError.at("preferences.csv", line: row.line, "\(row.owner) ranks more than the season's \(season.maxChoices) offers")
            }
        }
        let insertChoice = try db.cachedStatement(sql: "INSERT INTO placements_choices (seeker_id, rank, offer_id, motivation) VALUES (?, ?, ?, '')")
        for (seeker, list) in choices {
            try db.run(sql: "DELETE FROM placements_host_ranks WHERE seeker_id = ?", arguments: [seeker])
            try db.run(sql: "DELETE FROM placements_choices WHERE seeker_id = ?", arguments: [seeker])
            for (index, choice) in list.enumerated() { try insertChoice.execute(arguments: [seeker, index + 1, choice.offerID]) }
        }

        // Rankings: each offer's rows in rank order; a host ranks only its applicants.
        var applicants: [String: Set<String>] = [:]
        for (seeker, list) in choices { for choice in list { applicants[choice.offerID, default: []].insert(seeker) } }
        var rankings: [String: [String]] = [:]
        for row in files.rankings.sorted(by: { ($0.owner, $0.rank) < ($1.owner, $1.rank) }) {
            guard let offer = offerIDs[row.owner] else {
                throw ImportError.at("host_rankings.csv", line: row.line, column: "offer_ref", "no offer \(row.owner) in offers.csv or the season")
            }
            guard let seeker = seekerIDs[row.other] else {
                throw ImportError.at("host_rankings.csv", line: row.line, column: "seeker_ref", "no seeker \(row.other) in seekers.csv or the season")
            }
            let applied = try choices[seeker].map { $0.contains { $0.offerID == offer } }
                ?? (Bool.cachedOne(db, sql: "SELECT 1 FROM placements_choices WHERE seeker_id = ? AND offer_id = ?",
                                   arguments: [seeker, offer]) ?? false)
            guard applied else {
                throw ImportError.at("host_rankings.csv", line: row.line, column: "seeker_ref", "\(row.other) did not choose offer \(row.owner)")
            }
            if rankings[offer, default: []].contains(seeker) {
                throw ImportError.at("host_rankings.csv", line: row.line, column: "seeker_ref", "\(row.owner) ranks \(row.other) twice")
            }
            rankings[offer, default: []].append(seeker)
        }
        let insertRank = try db.cachedStatement(sql: "INSERT INTO placements_host_ranks (offer_id, rank, seeker_id) VALUES (?, ?, ?)")
        for (offer, list) in rankings {
            try db.run(sql: "DELETE FROM placements_host_ranks WHERE offer_id = ?", arguments: [offer])
            for (index, seeker) in list.enumerated() { try insertRank.execute(arguments: [offer, index + 1, seeker]) }
        }
        try Events.append(db, seasonID: season.id, kind: "season.imported", subject: season.id,
                          detail: "\(files.offers.count) offers, \(files.seekers.count) seekers")
        return .with {
            $0.seasonID = season.id
            $0.offers = Int32(files.offers.count)
            $0.seekers = Int32(files.seekers.count)
            $0.preferences = Int32(files.preferences.count)
            $0.hostRankings = Int32(files.rankings.count)
            $0.accountsCreated = Int32(created)
        }
    }

    /// Ref → id of a season's offers or seekers (`table` is one of two constants, never input).
    private static func refs(_ db: Database, _ table: String, _ seasonID: String) throws -> [String: String] {
        var refs: [String: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT ref, id FROM \(table) WHERE season_id = ? AND ref != ''", arguments: [seasonID]) {
            refs[row["ref"]] = row["id"]
        }
        return refs
    }
}
