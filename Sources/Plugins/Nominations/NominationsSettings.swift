import COIPluginKit

/// The plugin's config section `[plugins."coi.nominations"]`.
struct NominationsSettings: Sendable, Equatable {
    /// Nominations one person may submit per campaign, unless the campaign sets its own limit.
    var nominatorLimit = 3
    /// Open reports that hide a nomination until a moderator restores it.
    var autoHideReports = 3
    /// Alternates listed per region in the results.
    var alternates = 2
    /// Votes per person per idea storm, unless the storm sets its own.
    var votesPerPerson = 3
    /// Score sheets a winner needs before results can be published.
    var minSheets = 2

    static let defaultConfig = """
        # Nominations one person may submit per campaign (a campaign may set its own).
        nominator_limit = 3
        # Reports (spam, offensive, does not belong) that hide a nomination until a moderator restores it.
        auto_hide_reports = 3
        # Alternates listed per region with the results.
        alternates = 2
        # Votes per person in an idea storm (a storm may set its own).
        votes_per_person = 3
        # Score sheets a regional or national winner needs before results can be published.
        min_sheets = 2
        """

    /// Reads the section, rejecting unknown keys and values out of range.
    /// - Parameter config: The section.
    /// - Throws: A message naming the key.
    init(_ config: PluginConfig) throws {
        let where_ = config.file.map { " in \($0)" } ?? ""
        for key in config.table.keys {
            switch key {
            case "nominator_limit": nominatorLimit = try Self.integer(config, key, 1...10_000, where_)
            case "auto_hide_reports": autoHideReports = try Self.integer(config, key, 1...1_000, where_)
            case "alternates": alternates = try Self.integer(config, key, 0...20, where_)
            case "votes_per_person": votesPerPerson = try Self.integer(config, key, 1...1_000, where_)
            case "min_sheets": minSheets = try Self.integer(config, key, 1...100, where_)
            case "anonymous_read": continue // read by the host
            default:
                throw ConfigError(description: "plugins.\"coi.nominations\": unknown key \"\(key)\"\(where_); known: "
                                  + "nominator_limit, auto_hide_reports, alternates, votes_per_person, min_sheets, anonymous_read")
            }
        }
    }

    init() {}

    private static func integer(_ config: PluginConfig, _ key: String, _ range: ClosedRange<Int>, _ where_: String) throws -> Int {
        guard case let .integer(value) = config.table[key], range.contains(Int(value)) else {
            throw ConfigError(description: "plugins.\"coi.nominations\".\(key)\(where_) must be an integer in "
                              + "\(range.lowerBound)…\(range.upperBound)")
        }
        return Int(value)
    }

    struct ConfigError: Error, CustomStringConvertible {
        var description: String
    }
}
