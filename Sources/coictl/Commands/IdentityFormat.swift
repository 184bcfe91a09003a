import ArgumentParser
import COIProto

/// How the identity commands show accounts, tokens, bindings and audit entries in tables, with the
/// proto's enum value names ("PERSON", "ACTIVE") as in JSON.
enum IdentityFormat {
    static func name(_ kind: Coi_Identity_V1_AccountKind) -> String {
        switch kind {
        case .person: "PERSON"
        case .service: "SERVICE"
        default: "UNSPECIFIED"
        }
    }

    static func name(_ status: Coi_Identity_V1_AccountStatus) -> String {
        switch status {
        case .active: "ACTIVE"
        case .suspended: "SUSPENDED"
        case .erased: "ERASED"
        default: "UNSPECIFIED"
        }
    }

    /// "-" for an empty cell, so columns stay readable.
    static func cell(_ text: String) -> String { text.isEmpty ? "-" : text }

    static func roles(_ bindings: [Coi_Identity_V1_RoleBinding]) -> String {
        bindings.map { $0.scope.isEmpty ? $0.role : "\($0.role)@\($0.scope)" }.joined(separator: ",")
    }

    /// One account as FIELD/VALUE rows, for `accounts show` and `whoami`.
    static func rows(_ account: Coi_Identity_V1_Account) -> [[String]] {
        [["id", account.id],
         ["kind", name(account.kind)],
         ["name", cell(account.fullName)],
         ["email", cell(account.email)],
         ["workplace", cell(account.workplace)],
         ["municipality", account.municipalityCode == 0 ? "-" : "\(account.municipalityCode) \(account.municipality)"],
         ["status", name(account.status)],
         ["os user", cell(account.osUser)],
         ["roles", cell(roles(account.roles))],
         ["created", "\(account.createdAt) by \(account.createdBy)"],
         ["updated", account.updatedAt]]
    }
}

/// A duration for `--expires-in`: seconds, or a number with s, m, h, d or w ("90d", "12h", "3600s").
struct DurationArgument: ExpressibleByArgument, Sendable {
    let seconds: Int64

    init?(argument: String) {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        var digits = Substring(argument)
        var unit: Int64 = 1
        if let last = argument.last, let factor = units[last] {
            digits = argument.dropLast()
            unit = factor
        }
        guard digits.allSatisfy(\.isWholeNumber), let value = Int64(digits), value > 0 else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: unit)
        guard !overflow else { return nil }
        seconds = product
    }
}
