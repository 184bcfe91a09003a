import ArgumentParser
import COIProto
import COIRPC
import COIWire
import Foundation
import SwiftProtobuf

/// `coictl network …`: the politician network (coi.network) — parties, members, breadth of
/// support, meetings, essential tasks, exports and the event feed.
struct Network: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the cross-party politician network.",
        discussion: """
            --json prints the proto3 JSON mapping with the .proto's field names; `breadth --json` prints \
            every key, zeros included. See docs/network.md.
            """,
        subcommands: [Parties.self, Members.self, Breadth.self, Meetings.self, Tasks.self, Feed.self])

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

    /// Prints messages: a JSON list with --json, else the named columns.
    static func list(_ messages: [some SwiftProtobuf.Message], _ options: GlobalOptions, columns: [String]) {
        let objects = messages.map(object)
        if options.json {
            Output.json(objects)
        } else {
            Output.table(columns.map { $0.uppercased() }, objects.map { object in columns.map { cell(object[$0]) } })
        }
    }

    /// A JSON value as one table cell ("-" when absent).
    static func cell(_ value: Any?) -> String {
        switch value {
        case nil: return "-"
        case let text as String: return text.isEmpty ? "-" : text.replacingOccurrences(of: "\n", with: " ")
        case let list as [Any]: return list.map { cell($0) }.joined(separator: ", ")
        case let object as [String: Any]: return object.keys.sorted().map { "\($0)=\(cell(object[$0]))" }.joined(separator: " ")
        case let value?: return "\(value)"
        }
    }

    /// Runs one unary call and prints the reply.
    static func run<Request: Message, Reply: Message>(_ options: GlobalOptions, _ rpc: RPC<Request, Reply>, _ request: Request,
                                                      complete: (inout Request, Session) async throws -> Void = { _, _ in },
                                                      print: (Reply) -> Void) async throws {
        try await Session.with(options) { session in
            var request = request
            try await complete(&request, session)
            print(try await session.call(rpc, request))
        }
    }

    /// Reads a file, or stdin for "-"; a file that cannot be read exits 66 with the reason.
    static func readFile(_ path: String) throws -> Data {
        if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        guard let data = FileManager.default.contents(atPath: path) else {
            Output.error("cannot read \(path): \(FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")")
            throw ExitCode(66)
        }
        return data
    }

    enum BodyArgument: String, ExpressibleByArgument, CaseIterable {
        case municipalCouncil = "municipal_council", regionalCouncil = "regional_council", folketing
        var proto: Coi_Network_V1_Body {
            switch self {
            case .municipalCouncil: .municipalCouncil
            case .regionalCouncil: .regionalCouncil
            case .folketing: .folketing
            }
        }
    }

    enum StatusArgument: String, ExpressibleByArgument, CaseIterable {
        case invited, active, ceased
        var proto: Coi_Network_V1_MemberStatus {
            switch self {
            case .invited: .invited
            case .active: .active
            case .ceased: .ceased
            }
        }
    }

    enum YesNo: String, ExpressibleByArgument, CaseIterable {
        case yes, no
        var bool: Bool { self == .yes }
    }
}

