import COIPluginKit
import COIWire

/// The plugin's config section.
struct WikiSettings: Sendable {
    static let defaultMaxPageBytes = 2 * 1024 * 1024
    static let defaultSearchRankWindow = 5000
    var maxPageBytes = defaultMaxPageBytes
    /// How many of a query's matches, newest pages first, are ranked; 0 ranks them all.
    /// Ranking costs about a microsecond per matching page, so a word found on most of a large
    /// wiki would otherwise cost tens of milliseconds per search.
    var searchRankWindow = defaultSearchRankWindow

    init() {}

    /// Reads the section, rejecting unknown keys and wrong types.
    /// - Parameter config: The section.
    init(config: PluginConfig) throws {
        let location = config.file.map { " in \($0)" } ?? ""
        for key in config.table.keys {
            switch (key, config.table[key]) {
            case let ("max_page_bytes", .integer(value)?):
                guard value >= 1024, value <= 64 * 1024 * 1024 else {
                    throw RPCError(.invalidArgument, "plugins.\"coi.wiki\".max_page_bytes\(location): must be between 1024 and 67108864, is \(value)")
                }
                maxPageBytes = Int(value)
            case let ("search_rank_window", .integer(value)?):
                guard value >= 0, value <= 10_000_000 else {
                    throw RPCError(.invalidArgument, "plugins.\"coi.wiki\".search_rank_window\(location): must be between 0 and 10000000, is \(value)")
                }
                searchRankWindow = Int(value)
            case let (name, value?) where name == "max_page_bytes" || name == "search_rank_window":
                throw RPCError(.invalidArgument, "plugins.\"coi.wiki\".\(name)\(location): must be an integer, is \(value.typeName)")
            default:
                throw RPCError(.invalidArgument, "plugins.\"coi.wiki\"\(location): unknown key \"\(key)\" "
                               + "(known: max_page_bytes, search_rank_window, anonymous_read)")
            }
        }
    }
}
