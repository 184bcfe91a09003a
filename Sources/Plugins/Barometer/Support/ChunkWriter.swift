import COIPluginKit
import COIProto
import Foundation

/// Collects CSV records (or any text) into chunks of about 64 KiB and sends each as one message.
struct ChunkWriter {
    private let writer: ResponseWriter<Coi_Barometer_V1_Chunk>
    private var buffer: [UInt8] = []

    init(writer: ResponseWriter<Coi_Barometer_V1_Chunk>) {
        self.writer = writer
    }

    mutating func record(_ fields: [String]) async throws {
        try await text(CSV.record(fields))
    }

    mutating func text(_ text: String) async throws {
        buffer.append(contentsOf: Array(text.utf8))
        if buffer.count >= 64 * 1024 { try await flush() }
    }

    mutating func flush() async throws {
        guard !buffer.isEmpty else { return }
        let chunk = Coi_Barometer_V1_Chunk.with { $0.data = Data(buffer) }
        buffer = []
        try await writer.send(chunk)
    }
}
