import COIPluginKit
import COIProto
import Foundation

/// Collects CSV records into chunks of about 64 KiB and sends each as one message.
struct CSVWriter {
    private let writer: ResponseWriter<Coi_Placements_V1_CsvChunk>
    private var buffer: [UInt8] = []

    init(writer: ResponseWriter<Coi_Placements_V1_CsvChunk>) {
        self.writer = writer
    }

    mutating func write(_ fields: [String]) async throws {
        buffer.append(contentsOf: Array(CSV.record(fields).utf8))
        if buffer.count >= 64 * 1024 { try await flush() }
    }

    mutating func flush() async throws {
        guard !buffer.isEmpty else { return }
        let chunk = Coi_Placements_V1_CsvChunk.with { $0.data = Data(buffer) }
        buffer = []
        try await writer.send(chunk)
    }
}
