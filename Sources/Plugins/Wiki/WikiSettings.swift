import COIPluginKit
import COIWire

/// The plugin's config section.
struct WikiSettings: Sendable {
    static let defaultMaxPageBytes = 2 * 1024 * 1024
    var maxPageBytes = defaultMaxPageBytes

    init() {}

    /// Reads the section, rejecting unknown keys and wrong types.
    /// - Parameter config: The section.
    init(config: PluginConfig) throws {
        let where_ = config.file.map { " in \($0)" } ?? ""
        for key in config.table.keys {
            switch (key, config.table[key]) {
            case let ("max_page_bytes", .integer(value)?):
                guard value >= 1024, value <= 64 * 1024 * 1024 else {
                    throw RPCError(.invalidArgument, "plugins.\"coi.wiki\".max_page_bytes\(where_): must be between 1024 and 67108864, is \(value)")
                }
                maxPageBytes = Int(value)
            case let ("max_page_bytes", value?):
                throw RPCError(.invalidArgument, "plugins.\"coi.wiki\".max_page_bytes\(where_): must be an integer, is \(value.typeName)")
            default:
                throw RPCError(.invalidArgument, "plugins.\"coi.wiki\"\(where_): unknown key \"\(key)\" (known: max_page_bytes, anonymous_read)")
            }
        }
    }
}
