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
            // A nominee given by account alone takes the account's name, read in `check`.
            let byAccount = nominee.name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && !nominee.accountID.isEmpty
            let name = byAccount ? "" : try Validation.text(nominee.name, "nominees[\(index)].name", limit: 200, as: .name)
            if Self.looksLikeAccountID(name) {
                throw RPCError.invalidField("nominees[\(index)].name", "\"\(name)\" is an account id, not a name; link the account with "
                                            + "account_id (coictl: --nominee @\(name.drop { $0 == "@" }) or --nominee \"NAME@\(name.drop { $0 == "@" })\")")
            }
            if nominee.accountID == nominator.id || (!byAccount && TextKey.fold(name) == TextKey.fold(nominator.displayName)) {
                throw RPCError.invalidField("nominees[\(index)]", "you may not nominate yourself; nominate a colleague")
            }
            return Nominee(name: name, accountID: nominee.accountID)
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
            throw RPCError.invalidField("origin_wiki_case", "must be a wiki case link (wiki:Case:Title) or an https:// address")
        }
        titleKey = TextKey.title(title)
        nomineeKeys = nominees.map { TextKey.nominee(name: $0.name, workplace: workplace) }
        // Names still to come from accounts are compared in `check`.
        if nominees.allSatisfy({ !$0.name.isEmpty }) { try checkRepeats() }
    }

    /// Whether a name is really an account id ("acc_…" or "@acc_…"), which would create a nominee
    /// literally called so instead of linking the account.
    static func looksLikeAccountID(_ name: String) -> Bool {
        let bare = name.hasPrefix("@") ? name.dropFirst() : Substring(name)
        guard bare.lowercased().hasPrefix("acc_"), bare.count > 4 else { return false }
        return bare.dropFirst(4).allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    /// Refuses a team naming one person twice (folded names).
    private func checkRepeats() throws {
        let keys = nominees.map { TextKey.fold($0.name) }
        if let repeated = keys.indices.first(where: { keys[..<$0].contains(keys[$0]) }) {
            throw RPCError.invalidField("nominees[\(repeated)].name", "names the same person twice")
        }
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
            $0.regionName = municipality.region.name
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

    /// Checks what depends on the campaign, the accounts and the wiki, and fills in the names of
    /// nominees given by account alone.
    /// - Parameters:
    ///   - campaign: The campaign.
    ///   - previousWikiCase: The stored link when editing: an unchanged link is not checked again
    ///     (the case page may have moved on since; the nomination keeps what it linked).
    ///   - db: A connection.
    mutating func check(for campaign: CampaignRecord, previousWikiCase: String? = nil, db: Database) throws {
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
            if nominee.name.isEmpty {
                nominees[index].name = try AccountNames.name(db, id: nominee.accountID) ?? ""
                nomineeKeys[index] = TextKey.nominee(name: nominees[index].name, workplace: workplace)
            }
        }
        try checkRepeats()
        if !originWikiCase.isEmpty, originWikiCase != previousWikiCase {
            try WikiCaseLink.requireExisting(originWikiCase, field: "origin_wiki_case", db: db)
        }
    }

    /// The earliest other nomination in the campaign, submitted before this one, that is likely the
    /// same (see `TextKey`). A flag only points back in time: the later submission is the copy, so
    /// editing the original never makes it a "duplicate of" a later one.
    /// - Parameters:
    ///   - campaignID: The campaign.
    ///   - submittedBefore: The nomination's own `seq` when editing; nil for a new submission
    ///     (every stored nomination is earlier).
    ///   - db: A connection.
    /// - Returns: Its id, or nil.
    func duplicate(in campaignID: String, submittedBefore: Int64?, db: Database) throws -> String? {
        let withdrawn = Coi_Nominations_V1_NominationState.withdrawn.rawValue
        let before = submittedBefore ?? Int64.max
        var candidates: [(seq: Int64, id: String)] = []
        if let row = try Row.cachedOne(db, sql: """
            SELECT seq, id FROM nominations_nominations WHERE campaign_id = ? AND title_key = ? AND seq < ? AND state != ?
            ORDER BY seq LIMIT 1
            """, arguments: [campaignID, titleKey, before, withdrawn]) {
            candidates.append((row["seq"], row["id"]))
        }
        for key in nomineeKeys {
            if let row = try Row.cachedOne(db, sql: """
                SELECT n.seq, n.id FROM nominations_nominees m JOIN nominations_nominations n ON n.id = m.nomination_id
                WHERE m.campaign_id = ? AND m.name_key = ? AND n.seq < ? AND n.state != ? ORDER BY n.seq LIMIT 1
                """, arguments: [campaignID, key, before, withdrawn]) {
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
