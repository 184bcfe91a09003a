import COIPluginKit
import COIProto
import COIWire
import GRDB

/// A placement with its agreement (if saved yet) and the three people who confirm it: the seeker,
/// the offer's host contact and the seeker's home manager.
struct AgreementRecord: Sendable {
    var seekerID: String
    var seasonID: String
    var seekerAccount: String
    var seekerName: String
    var homeWorkplace: String
    var managerID: String
    var managerName: String
    var offerID: String
    var offerTitle: String
    var hostWorkplace: String
    var hostLevel: Int
    var hostMunicipality: Int
    var hostRegion: Int
    var sector: String
    var contactID: String
    var contactName: String
    /// Empty before the first save.
    var id: String
    /// The offer the agreement was written for; differs from `offerID` when the seeker was moved.
    var agreedOfferID: String
    var goals: String
    var days: Int
    var tasks: String
    var contact: String
    var confidentiality: String
    var version: Int64
    var seekerVersion: Int64
    var seekerAt: String
    var hostVersion: Int64
    var hostAt: String
    var hostBy: String
    var managerVersion: Int64
    var managerAt: String
    var managerBy: String
    var learned: String
    var ideasHome: String
    var completedAt: String
    var casePageID: String
    var casePageTitle: String
    var updatedAt: String

    static let select = """
        SELECT s.id AS seeker_id, s.season_id, s.account_id AS seeker_account, COALESCE(sa.full_name, '') AS seeker_name,
               s.home_workplace, s.manager_id, COALESCE(ma.full_name, '') AS manager_name,
               o.id AS offer_id, o.title AS offer_title, o.host_workplace, o.level AS host_level, o.municipality_code AS host_municipality,
               o.region_code AS host_region, o.sector, o.contact_id, COALESCE(ca.full_name, '') AS contact_name, o.days AS offer_days,
               g.id AS agreement_id, g.offer_id AS agreed_offer_id, g.goals, g.days, g.tasks, g.contact, g.confidentiality, g.version,
               g.seeker_version, g.seeker_at, g.host_version, g.host_at, g.host_by, g.manager_version, g.manager_at, g.manager_by,
               g.learned, g.ideas_home, g.completed_at, g.case_page_id, g.case_page_title, g.updated_at
        FROM placements_seekers s JOIN placements_results r ON r.seeker_id = s.id JOIN placements_offers o ON o.id = r.offer_id
        LEFT JOIN placements_agreements g ON g.seeker_id = s.id
        \(AccountNames.join(on: "s.account_id", as: "sa")) \(AccountNames.join(on: "s.manager_id", as: "ma"))
        \(AccountNames.join(on: "o.contact_id", as: "ca"))
        WHERE s.id = ?
        """

    init(row: Row) {
        seekerID = row["seeker_id"]
        seasonID = row["season_id"]
        seekerAccount = row["seeker_account"]
        seekerName = row["seeker_name"]
        homeWorkplace = row["home_workplace"]
        managerID = row["manager_id"]
        managerName = row["manager_name"]
        offerID = row["offer_id"]
        offerTitle = row["offer_title"]
        hostWorkplace = row["host_workplace"]
        hostLevel = row["host_level"]
        hostMunicipality = row["host_municipality"]
        hostRegion = row["host_region"]
        sector = row["sector"]
        contactID = row["contact_id"]
        contactName = row["contact_name"]
        id = row["agreement_id"] ?? ""
        agreedOfferID = row["agreed_offer_id"] ?? ""
        goals = row["goals"] ?? ""
        let agreedDays: Int? = row["days"]
        days = agreedDays ?? row["offer_days"]
        tasks = row["tasks"] ?? ""
        contact = row["contact"] ?? ""
        confidentiality = row["confidentiality"] ?? ""
        version = row["version"] ?? 0
        seekerVersion = row["seeker_version"] ?? 0
        seekerAt = row["seeker_at"] ?? ""
        hostVersion = row["host_version"] ?? 0
        hostAt = row["host_at"] ?? ""
        hostBy = row["host_by"] ?? ""
        managerVersion = row["manager_version"] ?? 0
        managerAt = row["manager_at"] ?? ""
        managerBy = row["manager_by"] ?? ""
        learned = row["learned"] ?? ""
        ideasHome = row["ideas_home"] ?? ""
        completedAt = row["completed_at"] ?? ""
        casePageID = row["case_page_id"] ?? ""
        casePageTitle = row["case_page_title"] ?? ""
        updatedAt = row["updated_at"] ?? ""
    }

    /// The placement and its agreement: NOT_FOUND for an unknown seeker, FAILED_PRECONDITION for
    /// one without a placement.
    static func require(_ db: Database, seekerID: String) throws -> AgreementRecord {
        _ = try SeekerRecord.require(db, id: seekerID)
        guard let row = try Row.fetchOne(db, sql: select, arguments: [seekerID]) else {
            throw RPCError(.failedPrecondition, "seeker \(seekerID) has no placement; an agreement belongs to a placement", reason: "NOT_PLACED")
        }
        return AgreementRecord(row: row)
    }

    /// The account that confirms `party`'s part.
    func account(of party: Coi_Placements_V1_Party) -> (id: String, name: String) {
        switch party {
        case .seeker: (seekerAccount, seekerName)
        case .host: (contactID, contactName)
        case .manager: (managerID, managerName)
        default: ("", "")
        }
    }

    /// Whether `party` confirmed exactly the current terms: this version, for this placement, by the
    /// person who holds that part now (a new host contact or manager confirms again).
    func confirmed(_ party: Coi_Placements_V1_Party) -> Bool {
        guard !id.isEmpty, agreedOfferID == offerID else { return false }
        switch party {
        case .seeker: return seekerVersion == version
        case .host: return hostVersion == version && hostBy == contactID
        case .manager: return managerVersion == version && managerBy == managerID
        default: return false
        }
    }

    static let parties: [Coi_Placements_V1_Party] = [.seeker, .host, .manager]

    var agreed: Bool { Self.parties.allSatisfy(confirmed) }

    var status: Coi_Placements_V1_AgreementStatus {
        if !completedAt.isEmpty { return .completed }
        if id.isEmpty { return .draft }
        if agreed { return .agreed }
        // A confirmation of an earlier version (or of another placement or by someone no longer in
        // that part) lapsed: those who confirmed must do so again.
        let lapsed = seekerVersion > 0 && !confirmed(.seeker) || hostVersion > 0 && !confirmed(.host)
            || managerVersion > 0 && !confirmed(.manager)
        if lapsed { return .reconfirmationNeeded }
        return Self.parties.contains(where: confirmed) ? .awaitingConfirmation : .draft
    }

    /// Whether the caller may read it: the three people, and coordinators (admins included).
    func mayRead(_ context: RequestContext) -> Bool {
        let me = context.principal.account?.id
        return me == seekerAccount || me == contactID || me == managerID
            || context.principal.can("placements.manage", in: "season:\(seasonID)")
    }

    var message: Coi_Placements_V1_Agreement {
        .with {
            $0.id = id
            $0.seasonID = seasonID
            $0.seekerID = seekerID
            $0.seekerName = seekerName
            $0.offerID = offerID
            $0.offerTitle = offerTitle
            $0.hostWorkplace = hostWorkplace
            $0.goals = goals
            $0.days = Int32(days)
            $0.tasks = tasks
            $0.contact = contact
            $0.confidentiality = confidentiality
            $0.version = version
            $0.status = status
            $0.confirmations = Self.parties.map { party in
                let (account, name) = account(of: party)
                let (confirmedVersion, at): (Int64, String) = switch party {
                case .seeker: (seekerVersion, seekerAt)
                case .host: (hostVersion, hostAt)
                default: (managerVersion, managerAt)
                }
                return .with {
                    $0.party = party
                    $0.accountID = account
                    $0.name = name
                    $0.confirmed = confirmed(party)
                    $0.confirmedVersion = confirmedVersion
                    $0.confirmedAt = at
                }
            }
            if !completedAt.isEmpty {
                $0.evaluation = .with {
                    $0.learned = learned
                    $0.ideasHome = ideasHome
                    $0.completedAt = completedAt
                }
            }
            $0.casePageID = casePageID
            $0.casePageTitle = casePageTitle
            $0.updatedAt = updatedAt
        }
    }
}

extension Coi_Placements_V1_Party {
    /// The lower-case name in messages.
    var word: String {
        switch self {
        case .seeker: "seeker"
        case .host: "host contact"
        case .manager: "home manager"
        default: "unknown party"
        }
    }
}
