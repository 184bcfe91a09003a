import Foundation
import COIPluginKit

/// A member's seat as given by an admin (invite, update, a row of an import), checked against the
/// reference data: the party list, the 98 municipalities and the 5 regions. Pure, so the same rules
/// apply to every way in and are unit-tested without a database.
public struct MemberFields: Sendable, Equatable {
    public var party: String
    public var body: Body
    public var municipalityCode: Int
    /// For a municipal council member, the municipality's region.
    public var regionCode: Int
    public var role: String
    public var termStart: String
    public var termEnd: String

    /// A field that is wrong, and why.
    public struct Problem: Error, Sendable, Equatable {
        public var field: String
        public var message: String
    }

    /// Roles a member may hold, and the only body each belongs to (nil: any body).
    public static let roles: [(slug: String, body: Body?)] = [
        ("member", nil), ("chair", nil), ("deputy_chair", nil), ("committee_chair", nil), ("group_chair", nil),
        ("spokesperson", nil), ("mayor", .municipalCouncil), ("deputy_mayor", .municipalCouncil),
        ("regional_council_chair", .regionalCouncil), ("regional_council_deputy_chair", .regionalCouncil), ("minister", .folketing),
    ]

    /// Checks and normalises a seat.
    /// - Parameters:
    ///   - party: Ballot letter (any case).
    ///   - body: The body.
    ///   - municipalityCode: 0 for none.
    ///   - regionCode: 0 for none.
    ///   - role: A role slug; empty means "member".
    ///   - termStart: YYYY-MM-DD or empty.
    ///   - termEnd: YYYY-MM-DD or empty.
    ///   - parties: The ballot letters known (upper-case).
    /// - Throws: `Problem` naming the first wrong field.
    public init(party: String, body: Body?, municipalityCode: Int, regionCode: Int, role: String, termStart: String, termEnd: String,
                parties: Set<String>) throws {
        let letter = party.trimmingCharacters(in: .whitespaces).uppercased()
        guard !letter.isEmpty else { throw Problem(field: "party", message: "is required (a ballot letter such as A or Ø)") }
        guard parties.contains(letter) else {
            throw Problem(field: "party", message: "unknown party \"\(party)\"; known: \(parties.sorted().joined(separator: ", "))"
                          + " (admins add local lists with `coictl network parties add`)")
        }
        guard let body else {
            throw Problem(field: "body", message: "must be municipal_council, regional_council or folketing")
        }
        self.party = letter
        self.body = body
        var municipalityCode = municipalityCode
        var regionCode = regionCode
        switch body {
        case .municipalCouncil:
            guard municipalityCode != 0 else { throw Problem(field: "municipality_code", message: "is required for a municipal council member") }
            guard let municipality = Denmark.municipality(code: municipalityCode) else {
                throw Problem(field: "municipality_code", message: "\(municipalityCode) is not one of the 98 official municipality codes")
            }
            if regionCode != 0 && regionCode != municipality.region.code {
                throw Problem(field: "region_code", message: "\(regionCode) is not the region of \(municipality.name) "
                              + "(\(municipality.region.code) \(municipality.region.name)); leave it empty")
            }
            municipalityCode = municipality.code
            regionCode = municipality.region.code
        case .regionalCouncil, .folketing:
            if municipalityCode != 0 {
                throw Problem(field: "municipality_code", message: "must be empty for a member of the \(body == .folketing ? "Folketing" : "regional council")")
            }
            if body == .regionalCouncil && regionCode == 0 {
                throw Problem(field: "region_code", message: "is required for a regional council member (1081–1085)")
            }
            if regionCode != 0 && Denmark.region(code: regionCode) == nil {
                throw Problem(field: "region_code", message: "\(regionCode) is not a region code; one of "
                              + Denmark.regions.map { "\($0.code) \($0.name)" }.joined(separator: ", "))
            }
        }
        self.municipalityCode = municipalityCode
        self.regionCode = regionCode

        let slug = role.trimmingCharacters(in: .whitespaces).lowercased().replacing(" ", with: "_").replacing("-", with: "_")
        let wanted = slug.isEmpty ? "member" : slug
        guard let known = Self.roles.first(where: { $0.slug == wanted }) else {
            throw Problem(field: "role", message: "unknown role \"\(role)\"; one of \(Self.roles.map(\.slug).joined(separator: ", "))")
        }
        if let only = known.body, only != body {
            throw Problem(field: "role", message: "\(wanted) is a role in a \(only.slug.replacing("_", with: " ")), not in the \(body.slug.replacing("_", with: " "))")
        }
        self.role = wanted
        self.termStart = try Self.date(termStart, "term_start")
        self.termEnd = try Self.date(termEnd, "term_end")
        if !self.termStart.isEmpty && !self.termEnd.isEmpty && self.termEnd < self.termStart {
            throw Problem(field: "term_end", message: "\(self.termEnd) is before term_start \(self.termStart)")
        }
    }

    /// A calendar date YYYY-MM-DD, or empty.
    static func date(_ text: String, _ field: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return "" }
        guard trimmed.count == 10, Timestamp.parse(trimmed) != nil else {
            throw Problem(field: field, message: "must be a date YYYY-MM-DD, is \"\(text)\"")
        }
        return trimmed
    }
}

extension MemberFields {
    /// A seat read back from storage (already checked when it was written).
    init(stored party: String, body: Body, municipalityCode: Int, regionCode: Int, role: String, termStart: String, termEnd: String) {
        self.party = party
        self.body = body
        self.municipalityCode = municipalityCode
        self.regionCode = regionCode
        self.role = role
        self.termStart = termStart
        self.termEnd = termEnd
    }
}
