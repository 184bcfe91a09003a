import ArgumentParser
import COIProto
import COIRPC
import COIWire
import Foundation
import SwiftProtobuf

/// `coictl barometer …`: the innovation barometer (coi.barometer): waves, frame, questionnaire,
/// design, sample, responses, estimates, exports, charts and the respondent's side by token.
struct Barometer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the innovation barometer: frame, sample, questionnaire, responses and weighted estimates.",
        discussion: """
            A wave goes: waves create → frame import → questionnaire import → design set → sample draw → \
            sample export (letters with tokens) → responses (by token, or responses import) → estimate. \
            --json prints the proto3 JSON mapping with the .proto's field names (estimate: one object per line).
            """,
        subcommands: [Waves.self, Frame.self, Questionnaire.self, Design.self, Sample.self, Responses.self, Estimate.self,
                      Export.self, Trend.self, Chart.self, Respond.self, Contacts.self])

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

    /// A file's bytes, or a clear error and exit 66 when it cannot be read.
    static func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            Output.error("cannot read \(path): no such file or not readable")
            throw ExitCode(66)
        }
        return data
    }

    /// Streams an export to a file or stdout.
    static func export(_ session: Session, _ request: Coi_Barometer_V1_ExportRequest, to path: String?) async throws {
        // stdout goes through Output, so a reader that leaves early (`| head -1`) ends coictl quietly.
        var handle: FileHandle?
        if let path {
            guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
                Output.error("cannot write \(path)")
                throw ExitCode(73)
            }
            handle = file
        }
        do {
            let stream = try session.connection.stream(Coi_Barometer_V1_Waves.Method.export, request, metadata: session.options.metadata,
                                                       timeout: session.options.deadline)
            for try await chunk in stream.replies {
                if let handle { handle.write(chunk.data) } else { Output.out(chunk.data) }
            }
        } catch let error as RPCError {
            throw Session.fail(error)
        }
        try handle?.close()
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A number as JSON (shortest text that reads back as the same double), or null.
    static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "null" }
        return "\(value)"
    }

    /// One estimate as the JSON line `coictl barometer estimate --json` prints.
    static func line(_ estimate: Coi_Barometer_V1_Estimate) -> String {
        "{" + fields(estimate) + "}"
    }

    /// One point of a trend as the JSON line `coictl barometer trend --json` prints: the wave, then
    /// the estimate's fields as `estimate --json` prints them.
    static func line(_ point: Coi_Barometer_V1_TrendPoint) -> String {
        "{\"wave_id\":\(quoted(point.waveID)),\"wave_name\":\(quoted(point.waveName)),"
            + "\"reference_period\":\(quoted(point.referencePeriod)),\(fields(point.estimate))}"
    }

    /// An estimate's JSON members, without the braces.
    private static func fields(_ estimate: Coi_Barometer_V1_Estimate) -> String {
        let numbers = estimate.hasNumbers ? estimate.numbers : nil
        let ci = numbers?.hasCi == true ? numbers?.ci : nil
        return "\"question\":\(quoted(estimate.question)),\"by\":\(quoted(estimate.by)),\"domain\":\(quoted(estimate.domain)),"
            + "\"category\":\(quoted(estimate.category)),\"statistic\":\(quoted(estimate.statistic)),"
            + "\"estimate\":\(number(numbers?.estimate)),\"se\":\(number(numbers?.se)),"
            + "\"ci_low\":\(number(ci?.low)),\"ci_high\":\(number(ci?.high)),"
            + "\"respondents\":\(estimate.respondents),\"suppressed\":\(estimate.suppressed)"
    }
}
