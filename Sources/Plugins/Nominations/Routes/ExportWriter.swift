import COIPluginKit
import COIProto
import COIWire
import Foundation

/// One value of an exported row: text in CSV (booleans as yes/no), typed in JSON lines.
enum ExportValue {
    case text(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
}

/// Writes an export as CSV (RFC 4180, header row first) or as JSON lines (one object per row, keyed
/// by the header's names in its order), collecting it into chunks of about 64 KiB, each sent as one
/// message.
struct ExportWriter {
    private let writer: ResponseWriter<Coi_Nominations_V1_CsvChunk>
    private let jsonLines: Bool
    private var names: [String] = []
    private var buffer: [UInt8] = []

    /// Creates a writer.
    /// - Parameters:
    ///   - writer: The stream.
    ///   - format: The format asked for (unspecified is CSV).
    /// - Throws: INVALID_ARGUMENT for an unknown format number.
    init(writer: ResponseWriter<Coi_Nominations_V1_CsvChunk>, format: Coi_Nominations_V1_ExportFormat) throws {
        self.writer = writer
        switch format {
        case .unspecified, .csv: jsonLines = false
        case .jsonl: jsonLines = true
        case .UNRECOGNIZED(let number): throw RPCError.invalidField("format", "must be CSV or JSONL, is \(number)")
        }
    }

    /// Starts the export: the CSV header row, or the keys of every JSON object.
    mutating func header(_ names: [String]) async throws {
        self.names = names
        if !jsonLines { try await append(CSV.record(names)) }
    }

    /// One row, its values in the header's order.
    mutating func row(_ values: [ExportValue]) async throws {
        if jsonLines {
            let members = zip(names, values).map { name, value in Self.json(name) + ":" + Self.json(value) }
            try await append("{" + members.joined(separator: ",") + "}\n")
        } else {
            try await append(CSV.record(values.map(Self.text)))
        }
    }

    /// Sends what is left.
    mutating func flush() async throws {
        guard !buffer.isEmpty else { return }
        let chunk = Coi_Nominations_V1_CsvChunk.with { $0.data = Data(buffer) }
        buffer = []
        try await writer.send(chunk)
    }

    private mutating func append(_ text: String) async throws {
        buffer.append(contentsOf: Array(text.utf8))
        if buffer.count >= 64 * 1024 { try await flush() }
    }

    private static func text(_ value: ExportValue) -> String {
        switch value {
        case .text(let text): text
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .bool(let flag): flag ? "yes" : "no"
        }
    }

    private static func json(_ value: ExportValue) -> String {
        switch value {
        case .text(let text): json(text)
        case .int(let number): String(number)
        // Stored values are finite (weighted means and z-scores); JSON has no NaN anyway.
        case .double(let number): number.isFinite ? String(number) : "null"
        case .bool(let flag): flag ? "true" : "false"
        }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped, the rest as is.
    private static func json(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar == "\u{2028}" || scalar == "\u{2029}":
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
