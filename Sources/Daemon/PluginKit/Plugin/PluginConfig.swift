/// A plugin's config section `[plugins."<id>"]`, as parsed from the config file.
public struct PluginConfig: Sendable {
    /// The section's table; empty when the file has no such section.
    public var table: TOMLTable
    /// The config file's path, for error messages; nil when running without a file.
    public var file: String?

    /// Creates a config.
    /// - Parameters:
    ///   - table: The section.
    ///   - file: The file it came from.
    public init(table: TOMLTable, file: String?) {
        self.table = table
        self.file = file
    }
}
