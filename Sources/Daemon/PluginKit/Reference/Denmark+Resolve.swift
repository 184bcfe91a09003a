import COIWire
import Foundation

extension Denmark {
    /// Finds a region the way people write it: its code ("1085"), its slug ("sjaelland") or its
    /// name with or without "Region" and Danish letters ("Sjælland", "region sjaelland").
    /// - Parameter text: What was typed.
    /// - Returns: The region, or nil.
    public static func region(matching text: String) -> Region? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let code = Int(trimmed) { return region(code: code) }
        var folded = foldedName(trimmed)
        if folded.hasPrefix("region"), folded.count > "region".count { folded.removeFirst("region".count) }
        return regions.first { foldedName($0.id) == folded || foldedName($0.name) == "region" + folded }
    }

    /// Finds a municipality by code ("159") or by name in any common spelling ("Lyngby-Taarbæk").
    /// - Parameter text: What was typed.
    /// - Returns: The municipality, or nil.
    public static func municipality(matching text: String) -> Municipality? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let code = Int(trimmed) { return municipality(code: code) }
        var name = trimmed
        for suffix in [" Kommune", " kommune"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        return municipality(named: name)
    }

    /// Whether a municipality's name contains `text`, both folded the Danish way.
    /// - Parameters:
    ///   - municipality: The municipality.
    ///   - text: The text; empty matches every municipality.
    /// - Returns: Whether it matches.
    public static func name(of municipality: Municipality, contains text: String) -> Bool {
        text.isEmpty || foldedName(municipality.name).contains(foldedName(text))
    }

    /// A region argument of a request as people type it: empty means none; otherwise a code, a slug
    /// or a name in any spelling (`region(matching:)`), else INVALID_ARGUMENT naming the field.
    /// - Parameters:
    ///   - text: What was sent.
    ///   - field: The request field, for the error.
    /// - Returns: The region, or nil when `text` is empty.
    public static func requireRegion(_ text: String, field: String) throws -> Region? {
        if text.trimmingCharacters(in: .whitespaces).isEmpty { return nil }
        guard let region = region(matching: text) else {
            throw RPCError.invalidField(field, "unknown region \"\(text)\"; one of "
                                        + regions.map { "\($0.name) (\($0.id), \($0.code))" }.joined(separator: ", "))
        }
        return region
    }
}
