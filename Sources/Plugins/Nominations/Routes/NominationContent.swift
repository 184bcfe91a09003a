import COIPluginKit
import COIProto
import COIWire
import GRDB

/// The checked content of a submitted or edited nomination.
struct NominationContent: Sendable {
    struct Nominee: Sendable {
        var name: String
        var accountID: String
    }

    var nominees: [Nominee]
    var workplace: String
    var municipality: Municipality
    var title: String
    var idea: String
    var difference: String
    var origin: String
    var originWikiCase: String
    /// `TextKey.title` of the title, computed before the write transaction.
    var titleKey = ""
    /// `TextKey.nominee` of each nominee.
    var nomineeKeys: [String] = []

    /// Checks the fields that need no database.
    /// - Parameters:
    ///   - request: The request.
    ///   - nominator: The caller, who may not nominate themself.
    /// - Throws: INVALID_ARGUMENT naming the field.
    init(_ request: Coi_Nominations_V1_SubmitNominationRequest, nominator: AccountRef) throws {
        guard (1...20).contains(request.nominees.count) else {
            throw RPCError.invalidField("nominees", "name 1–20 nominees (a colleague or a team), got \(request.nominees.count)")
        }
        workplace = try Validation.text(request.workplace, "workplace", limit: 200, as: .name)
        nominees = try request.nominees.enumerated().map { index, nominee in
            let name = try Validation.text(nominee.name, "nominees[\(index)].name", limit: 200, as: .name)
            if nominee.accountID == nominator.id || TextKey.fold(name) == TextKey.fold(nominator.displayName) {
                throw RPCError.invalidField("nominees[\(index)]", "you may not nominate yourself; nominate a colleague")
            }
            return Nominee(name: name, accountID: nominee.accountID)
        }
        let keys = nominees.map { TextKey.fold($0.name) }
        if let repeated = keys.indices.first(where: { keys[..<$0].contains(keys[$0]) }) {
            throw RPCError.invalidField("nominees[\(repeated)].name", "names the same person twice")
        }
        guard let municipality = Denmark.municipality(code: Int(request.municipalityCode)) else {
            throw RPCError.invalidField("municipality_code", "\(request.municipalityCode) is not one of the 98 municipality codes (101 København …)")
        }
        self.municipality = municipality
        title = try Validation.text(request.title, "title", limit: 200, as: .name)
        idea = try Validation.text(request.idea, "idea", limit: 5000)
        difference = try Validation.text(request.difference, "difference", limit: 5000)
        origin = try Validation.text(request.origin, "origin", limit: 1000, required: false)
        originWikiCase = try Validation.text(request.originWikiCase, "origin_wiki_case", limit: 500, required: false, as: .name)
        if !originWikiCase.isEmpty && !(originWikiCase.hasPrefix("wiki:") || originWikiCase.hasPrefix("https://")) {
            throw RPCError.invalidField("origin_wiki_case", "must be a wiki case link (wiki:…) or an https:// address")
        }
        titleKey = TextKey.title(title)
        nomineeKeys = nominees.map { TextKey.nominee(name: $0.name, workplace: workplace) }
    }

    /// The nomination just submitted, as its nominator sees it, without reading it back.
    /// - Parameters:
    ///   - id: Its id.
    ///   - campaignID: Its campaign.
    ///   - nominator: The nominator.
    ///   - duplicateOf: The likely duplicate found, if any.
    ///   - now: The submission time.
    /// - Returns: The message.
    func submitted(id: String, campaignID: String, nominator: AccountRef, duplicateOf: String?, now: String) -> Coi_Nominations_V1_Nomination {
        .with {
            $0.id = id
            $0.campaignID = campaignID
            $0.nominatorID = nominator.id
            $0.nominatorName = nominator.displayName
            $0.nominees = nominees.map { nominee in
                .with {
                    $0.name = nominee.name
                    $0.accountID = nominee.accountID
                }
            }
            $0.workplace = workplace
            $0.municipalityCode = Int32(municipality.code)
            $0.municipality = municipality.name
            $0.region = municipality.region.id
            $0.title = title
            $0.idea = idea
            $0.difference = difference
            $0.origin = origin
            $0.originWikiCase = originWikiCase
            $0.state = .submitted
            $0.duplicateOf = duplicateOf ?? ""
            $0.submittedAt = now
            $0.updatedAt = now
            $0.version = 1
        }
    }

    /// Checks what depends on the campaign and the accounts.
    /// - Parameters:
    ///   - campaign: The campaign.
    ///   - db: A connection.
    func check(for campaign: CampaignRecord, db: Database) throws {
        switch campaign.kind {
        case .copycatAward where origin.isEmpty && originWikiCase.isEmpty:
            throw RPCError.invalidField("origin", "a copycat nomination says where the idea was copied from (origin or origin_wiki_case)")
        case .ideaAward where !origin.isEmpty || !originWikiCase.isEmpty:
            throw RPCError.invalidField("origin", "only copycat award nominations have an origin")
        default: break
        }
        for (index, nominee) in nominees.enumerated() where !nominee.accountID.isEmpty {
            guard try AccountNames.exists(db, id: nominee.accountID, kind: .person) else {
                throw RPCError.invalidField("nominees[\(index)].account_id", "no person account \(nominee.accountID)")
            }
        }
    }

    /// The earliest other nomination in the campaign that is likely the same (see `TextKey`).
    /// - Parameters:
    ///   - campaignID: The campaign.
    ///   - excluding: The nomination itself, when editing.
    ///   - db: A connection.
    /// - Returns: Its id, or nil.
    func duplicate(in campaignID: String, excluding: String?, db: Database) throws -> String? {
        let withdrawn = Coi_Nominations_V1_NominationState.withdrawn.rawValue
        var candidates: [(seq: Int64, id: String)] = []
        if let row = try Row.cachedOne(db, sql: """
            SELECT seq, id FROM nominations_nominations WHERE campaign_id = ? AND title_key = ? AND id != ? AND state != ?
            ORDER BY seq LIMIT 1
            """, arguments: [campaignID, titleKey, excluding ?? "", withdrawn]) {
            candidates.append((row["seq"], row["id"]))
        }
        for key in nomineeKeys {
            if let row = try Row.cachedOne(db, sql: """
                SELECT n.seq, n.id FROM nominations_nominees m JOIN nominations_nominations n ON n.id = m.nomination_id
                WHERE m.campaign_id = ? AND m.name_key = ? AND n.id != ? AND n.state != ? ORDER BY n.seq LIMIT 1
                """, arguments: [campaignID, key, excluding ?? "", withdrawn]) {
                candidates.append((row["seq"], row["id"]))
            }
        }
        return candidates.min { $0.seq < $1.seq }?.id
    }

    /// Replaces the nominees; a nominee who stays (same name and account) keeps their consent.
    /// - Parameters:
    ///   - id: The nomination.
    ///   - campaignID: Its campaign.
    ///   - previous: The nominees before an edit.
    ///   - db: The write transaction.
    func saveNominees(id: String, campaignID: String, keepingConsentOf previous: [NominationRecord.Nominee], db: Database) throws {
        try db.run(sql: "DELETE FROM nominations_nominees WHERE nomination_id = ?", arguments: [id])
        for (position, nominee) in nominees.enumerated() {
            let consent = previous.first { $0.name == nominee.name && $0.accountID == nominee.accountID }?.consentedAt ?? ""
            try db.run(sql: """
                INSERT INTO nominations_nominees (nomination_id, position, campaign_id, name, name_key, account_id, consented_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [id, position, campaignID, nominee.name, nomineeKeys[position], nominee.accountID, consent])
        }
    }
}
