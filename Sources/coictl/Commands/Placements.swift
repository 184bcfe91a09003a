import ArgumentParser
import COIProto
import COIRPC
import COIWire
import Foundation
import SwiftProtobuf

/// `coictl placements …`: seasons, offers, seekers and approvals, matching, import and export of
/// the coi.placements plugin (innovation placements).
struct Placements: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run innovation placement seasons (Innovationspraktik).",
        discussion: """
            --json prints the proto3 JSON mapping with the .proto's field names; fields at their default \
            (0, false, "") are left out. See docs/placements.md.
            """,
        subcommands: [Seasons.self, Offers.self, Seekers.self, Match.self, Matching.self, Adjust.self, Book.self, Import.self,
                      Export.self, Report.self, Years.self, Feed.self, Exchanges.self, Agreements.self])

    /// A message as a JSON object with the .proto's field names.
    static func object(_ message: some SwiftProtobuf.Message) -> [String: Any] {
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        options.alwaysPrintInt64sAsNumbers = true
        guard let text = try? message.jsonString(options: options),
              let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return [:] }
        return object
    }

    /// Prints one message: JSON with --json, else FIELD/VALUE rows.
    static func show(_ message: some SwiftProtobuf.Message, _ options: GlobalOptions) {
        let object = object(message)
        if options.json {
            Output.json(object)
        } else {
            Output.table(["FIELD", "VALUE"], object.keys.sorted().map { [$0, cell(object[$0])] })
        }
    }

    /// Prints messages: one JSON object per line with --json (coictl's convention for lists), else
    /// the named columns.
    static func list(_ messages: [some SwiftProtobuf.Message], _ options: GlobalOptions, columns: [String]) {
        let objects = messages.map(object)
        if options.json {
            Output.jsonLines(objects)
        } else {
            Output.table(columns.map(Output.columnHeader), objects.map { object in columns.map { cell(object[Output.columnField($0)]) } })
        }
    }

    /// A JSON value as one table cell ("-" when absent).
    static func cell(_ value: Any?) -> String {
        switch value {
        case nil: return "-"
        case let text as String: return text.isEmpty ? "-" : text.replacingOccurrences(of: "\n", with: " ")
        case let list as [Any]: return list.map { cell($0) }.joined(separator: ", ")
        case let object as [String: Any]: return cell(object["id"] ?? object["key"])
        case let value?: return "\(value)"
        }
    }

    /// A unary call through the session (errors printed, exit 1 / 69).
    static func call<Request: Message, Reply: Message>(_ options: GlobalOptions, _ rpc: RPC<Request, Reply>, _ request: Request,
                                                       complete: (inout Request, Session) async throws -> Void = { _, _ in }) async throws -> Reply {
        try await Session.with(options) { session in
            var request = request
            try await complete(&request, session)
            return try await session.call(rpc, request)
        }
    }

    enum LevelArgument: String, ExpressibleByArgument, CaseIterable {
        case municipal, regional, state
        var proto: Coi_Placements_V1_Level {
            switch self {
            case .municipal: .municipal
            case .regional: .regional
            case .state: .state
            }
        }
    }

    enum PhaseArgument: String, ExpressibleByArgument, CaseIterable {
        case draft, offers, applications, matching, confirmed, completed, archived
        var proto: Coi_Placements_V1_Phase {
            switch self {
            case .draft: .draft
            case .offers: .offersOpen
            case .applications: .applicationsOpen
            case .matching: .matching
            case .confirmed: .confirmed
            case .completed: .completed
            case .archived: .archived
            }
        }
    }
}
