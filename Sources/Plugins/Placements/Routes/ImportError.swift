import COIWire

/// A problem in an imported file, named by file, line and column.
enum ImportError {
    /// INVALID_ARGUMENT "offers.csv, line 12, column capacity: …", with the place as the field.
    static func at(_ file: String, line: Int, column: String? = nil, _ why: String) -> RPCError {
        let place = "\(file), line \(line)" + (column.map { ", column \($0)" } ?? "")
        let field = "\(file):\(line)" + (column.map { ":\($0)" } ?? "")
        return RPCError(.invalidArgument, "\(place): \(why)", reason: "IMPORT_INVALID",
                        fieldViolations: [.init(field: field, description: why)])
    }
}
