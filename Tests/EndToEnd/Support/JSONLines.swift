import Foundation

/// Parses coictl's `--json` output for a list: one JSON object per line.
/// - Throws: When a line is not a JSON object.
func jsonLines(_ text: String) throws -> [[String: Any]] {
    try text.split(separator: "\n").map { line in
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw DaemonError("not a JSON object: \(line)")
        }
        return object
    }
}
