import COIPluginKit
import COIProto
import COIWire

/// The four CSV files of an import, parsed and checked field by field (references between files
/// and to the store are checked by `ImportPlan`).
struct ImportFiles: Sendable {
    static let offersColumns = ["ref", "title", "host_workplace", "level", "municipality_code", "capacity", "days", "contact_email"]
    static let seekersColumns = ["ref", "full_name", "email", "home_workplace", "level", "municipality_code", "manager_email",
                                 "manager_approval"]
    static let preferencesColumns = ["seeker_ref", "rank", "offer_ref"]
    static let rankingsColumns = ["offer_ref", "rank", "seeker_ref"]
    static let names = ["offers.csv", "seekers.csv", "preferences.csv", "host_rankings.csv"]

    struct Offer: Sendable {
        var line: Int
        var fields: OfferFields
        var contactEmail: String
    }

    struct Seeker: Sendable {
        var line: Int
        var ref: String
        var fullName: String
        var email: String
        var homeWorkplace: String
        var level: Coi_Placements_V1_Level
        var municipality: Municipality
        var managerEmail: String
        var approval: Coi_Placements_V1_Approval
    }

    /// A row of preferences.csv or host_rankings.csv: who ranks, at which rank, whom.
    struct Rank: Sendable {
        var line: Int
        var owner: String
        var rank: Int
        var other: String
    }

    var offers: [Offer] = []
    var seekers: [Seeker] = []
    var preferences: [Rank] = []
    var rankings: [Rank] = []

    /// Parses the files' bytes.
    /// - Parameter files: File name → its bytes; all four must be present.
    init(_ files: [String: [UInt8]]) throws {
        for name in Self.names where files[name] == nil {
            throw RPCError.invalidField("file", "\(name) is missing; an import sends \(Self.names.joined(separator: ", "))")
        }
        let offersTable = try Self.table(files, "offers.csv", Self.offersColumns)
        var refs = Set<String>()
        for record in offersTable.records {
            let file = "offers.csv"
            func field(_ column: Int) -> String { record.fields[column].trimmingSpaces }
            let ref = try Self.ref(field(0), file, record.line, "ref")
            guard refs.insert(ref).inserted else { throw ImportError.at(file, line: record.line, column: "ref", "\(ref) appears twice") }
            let title = try Self.text(field(1), file, record.line, "title", limit: 200)
            let workplace = try Self.text(field(2), file, record.line, "host_workplace", limit: 200)
            let level = try Self.level(field(3), file, record.line)
            let municipality = try Self.municipality(field(4), file, record.line)
            guard let capacity = Int(field(5)), (1...3).contains(capacity) else {
                throw ImportError.at(file, line: record.line, column: "capacity", "hosts take 1–3 seekers, is \"\(field(5))\"")
            }
            guard let days = Int(field(6)), (1...5).contains(days) else {
                throw ImportError.at(file, line: record.line, column: "days", "must be 1–5 days, is \"\(field(6))\"")
            }
            let contact = try Self.email(field(7), file, record.line, "contact_email")
            offers.append(Offer(line: record.line, fields: OfferFields(ref: ref, title: title, hostWorkplace: workplace, level: level,
                                                                       municipality: municipality, sector: "", description: "",
                                                                       capacity: capacity, days: days, dates: [], conditions: ""),
                                contactEmail: contact))
        }
        let seekersTable = try Self.table(files, "seekers.csv", Self.seekersColumns)
        refs = []
        var emails = Set<String>()
        for record in seekersTable.records {
            let file = "seekers.csv"
            func field(_ column: Int) -> String { record.fields[column].trimmingSpaces }
            let ref = try Self.ref(field(0), file, record.line, "ref")
            guard refs.insert(ref).inserted else { throw ImportError.at(file, line: record.line, column: "ref", "\(ref) appears twice") }
            let name = try Self.text(field(1), file, record.line, "full_name", limit: 200)
            let email = try Self.email(field(2), file, record.line, "email")
            guard emails.insert(email).inserted else {
                throw ImportError.at(file, line: record.line, column: "email", "\(email) is already a seeker above; one person seeks once a season")
            }
            let workplace = try Self.text(field(3), file, record.line, "home_workplace", limit: 200)
            let level = try Self.level(field(4), file, record.line)
            let municipality = try Self.municipality(field(5), file, record.line)
            let manager = try Self.email(field(6), file, record.line, "manager_email")
            guard manager != email else {
                throw ImportError.at(file, line: record.line, column: "manager_email", "a seeker cannot approve themself")
            }
            let approval: Coi_Placements_V1_Approval
            switch field(7).lowercased() {
            case "approved": approval = .approved
            case "pending": approval = .pending
            case "declined": approval = .declined
            default: throw ImportError.at(file, line: record.line, column: "manager_approval",
                                          "must be approved, pending or declined, is \"\(field(7))\"")
            }
            seekers.append(Seeker(line: record.line, ref: ref, fullName: name, email: email, homeWorkplace: workplace, level: level,
                                  municipality: municipality, managerEmail: manager, approval: approval))
        }
        preferences = try Self.ranks(files, "preferences.csv", Self.preferencesColumns, owner: "seeker_ref", other: "offer_ref")
        rankings = try Self.ranks(files, "host_rankings.csv", Self.rankingsColumns, owner: "offer_ref", other: "seeker_ref")
    }

    private static func table(_ files: [String: [UInt8]], _ name: String, _ columns: [String]) throws -> CSVTable {
        let bytes = files[name] ?? []
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let line = 1 + (Self.firstInvalidUTF8(bytes).map { offset in bytes[..<offset].count { $0 == UInt8(ascii: "\n") } } ?? 0)
            throw ImportError.at(name, line: line, "is not UTF-8 (save the file as UTF-8)")
        }
        switch Result(catching: { () throws(CSVTable.ParseError) in try CSVTable(text, expected: columns) }) {
        case let .success(table): return table
        case let .failure(error): throw ImportError.at(name, line: error.line, error.message)
        }
    }

    /// The offset of the first byte that is not part of valid UTF-8, found by growing a prefix.
    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case let .scalarValue(scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    private static func ranks(_ files: [String: [UInt8]], _ name: String, _ columns: [String], owner: String, other: String) throws -> [Rank] {
        let table = try table(files, name, columns)
        var seen = Set<String>()
        return try table.records.map { record in
            let first = try ref(record.fields[0].trimmingSpaces, name, record.line, columns[0])
            let rankText = record.fields[1].trimmingSpaces
            guard let rank = Int(rankText), (1...10_000).contains(rank) else {
                throw ImportError.at(name, line: record.line, column: "rank", "must be a whole number from 1 (first), is \"\(rankText)\"")
            }
            guard seen.insert("\(first)\u{0}\(rank)").inserted else {
                throw ImportError.at(name, line: record.line, column: "rank", "\(first) has rank \(rank) twice")
            }
            let second = try ref(record.fields[2].trimmingSpaces, name, record.line, columns[2])
            return Rank(line: record.line, owner: first, rank: rank, other: second)
        }
    }

    private static func ref(_ value: String, _ file: String, _ line: Int, _ column: String) throws -> String {
        guard !value.isEmpty else { throw ImportError.at(file, line: line, column: column, "is required") }
        guard value.count <= 64 else { throw ImportError.at(file, line: line, column: column, "must be at most 64 characters") }
        return value
    }

    private static func text(_ value: String, _ file: String, _ line: Int, _ column: String, limit: Int) throws -> String {
        guard !value.isEmpty else { throw ImportError.at(file, line: line, column: column, "is required") }
        guard value.count <= limit else { throw ImportError.at(file, line: line, column: column, "must be at most \(limit) characters") }
        return value
    }

    private static func level(_ value: String, _ file: String, _ line: Int) throws -> Coi_Placements_V1_Level {
        guard let level = Coi_Placements_V1_Level(csv: value) else {
            throw ImportError.at(file, line: line, column: "level", "must be municipal, regional or state (kommune, region, stat), is \"\(value)\"")
        }
        return level
    }

    private static func municipality(_ value: String, _ file: String, _ line: Int) throws -> Municipality {
        guard let code = Int(value), let municipality = Denmark.municipality(code: code) else {
            throw ImportError.at(file, line: line, column: "municipality_code", "\"\(value)\" is not one of the 98 municipality codes")
        }
        return municipality
    }

    /// An e-mail address, lower-cased: accounts are matched on it case-insensitively.
    private static func email(_ value: String, _ file: String, _ line: Int, _ column: String) throws -> String {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !value.contains(where: \.isWhitespace), value.count <= 254 else {
            throw ImportError.at(file, line: line, column: column, "\"\(value)\" is not an e-mail address")
        }
        return value.lowercased()
    }
}
