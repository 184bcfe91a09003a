import COIPluginKit

/// The plugin's config section `[plugins."coi.network"]`.
struct NetworkSettings: Sendable, Equatable {
    /// When the network is viable.
    var criteria = LaunchCriteria()
    /// Parties whose members must endorse an essential task before it is published.
    var publishMinParties = 3

    static let defaultConfig = """
        # Launch criteria: the network runs only with broad enough support.
        min_members = 25        # active members at least
        min_parties = 5         # distinct parties among them at least
        min_bodies = 3          # of municipal council, regional council, Folketing (3 = all)
        min_regions = 5         # of the five regions (5 = all)
        # An essential task is published once members of this many parties endorse it.
        publish_min_parties = 3
        # anonymous_read = true # the public website may read without a token
        """

    /// Reads the section, rejecting unknown keys and values out of range.
    /// - Parameter config: The section.
    /// - Throws: A message naming the key.
    init(_ config: PluginConfig) throws {
        let where_ = config.file.map { " in \($0)" } ?? ""
        for key in config.table.keys {
            switch key {
            case "min_members": criteria.minMembers = try Self.integer(config, key, 0...100_000, where_)
            case "min_parties": criteria.minParties = try Self.integer(config, key, 0...1_000, where_)
            case "min_bodies": criteria.minBodies = try Self.integer(config, key, 0...3, where_)
            case "min_regions": criteria.minRegions = try Self.integer(config, key, 0...5, where_)
            case "publish_min_parties": publishMinParties = try Self.integer(config, key, 1...1_000, where_)
            case "anonymous_read": continue // read by the host
            default:
                throw ConfigError(description: "plugins.\"coi.network\": unknown key \"\(key)\"\(where_); known: "
                                  + "min_members, min_parties, min_bodies, min_regions, publish_min_parties, anonymous_read")
            }
        }
    }

    init() {}

    private static func integer(_ config: PluginConfig, _ key: String, _ range: ClosedRange<Int>, _ where_: String) throws -> Int {
        guard case let .integer(value) = config.table[key], range.contains(Int(value)) else {
            throw ConfigError(description: "plugins.\"coi.network\".\(key)\(where_) must be an integer in "
                              + "\(range.lowerBound)…\(range.upperBound)")
        }
        return Int(value)
    }

    struct ConfigError: Error, CustomStringConvertible {
        var description: String
    }
}
