import ArgumentParser
import COIProto
import COIRPC
import COIWire
import Foundation

/// Region and municipality arguments as people type them: a code ("1085", "159"), a slug
/// ("sjaelland") or a name in any spelling and case ("Region Sjælland", "sjælland", "Lyngby-Taarbæk",
/// "lyngby taarbaek"). Codes go to coid as they are (it checks them); anything else is resolved by
/// coid's Reference/Resolve, the one resolver, which folds names with the kit's Danish folding.
enum Places {
    /// The region code for a `--region` argument: 0 when nil or empty.
    /// - Parameters:
    ///   - text: What was typed.
    ///   - option: The option, for the error ("--region").
    ///   - session: The open session.
    /// - Returns: The code.
    static func regionCode(_ text: String?, option: String = "--region", _ session: Session) async throws -> Int32 {
        switch try await resolve(text, option: option, session) {
        case nil: return 0
        case .code(let code): return code
        case .match(.region(let region)): return region.code
        case .match(.municipality(let municipality)):
            throw fail(option, text ?? "", "\(municipality.name) is a municipality (\(municipality.code)) in \(municipality.region.name), "
                       + "not a region; the regions are Nordjylland, Midtjylland, Syddanmark, Hovedstaden and Sjælland")
        }
    }

    /// The municipality code for a `--municipality` argument: 0 when nil or empty.
    /// - Parameters:
    ///   - text: What was typed.
    ///   - option: The option, for the error ("--municipality").
    ///   - session: The open session.
    /// - Returns: The code.
    static func municipalityCode(_ text: String?, option: String = "--municipality", _ session: Session) async throws -> Int32 {
        switch try await resolve(text, option: option, session) {
        case nil: return 0
        case .code(let code): return code
        case .match(.municipality(let municipality)): return municipality.code
        case .match(.region(let region)):
            throw fail(option, text ?? "", "\(region.name) is a region (\(region.code)), not a municipality")
        }
    }

    private enum Resolved {
        case code(Int32)
        case match(Coi_Core_V1_ResolveReply.OneOf_Match)
    }

    private static func resolve(_ text: String?, option: String, _ session: Session) async throws -> Resolved? {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return nil }
        if let code = Int32(trimmed) { return .code(code) }
        do {
            let reply = try await session.connection.call(Coi_Core_V1_Reference.Method.resolve, .with { $0.text = trimmed },
                                                          metadata: session.options.metadata, timeout: session.options.deadline)
            guard let match = reply.match else { throw fail(option, trimmed, "matches no region or municipality") }
            return .match(match)
        } catch let error as RPCError where error.code == .notFound || error.code == .invalidArgument {
            throw fail(option, trimmed, error.message)
        } catch let error as RPCError {
            throw session.fail(error)
        }
    }

    /// Prints INVALID_ARGUMENT naming the option, as coid names a field, and returns exit 1.
    private static func fail(_ option: String, _ text: String, _ why: String) -> ExitCode {
        Output.failure(code: "INVALID_ARGUMENT", message: "\(option) \"\(text)\": \(why)")
        return ExitCode(1)
    }
}
