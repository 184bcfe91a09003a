import COIPluginKit
import COIProto
import COIWire
import Foundation
import GRDB

extension CorePlugin {

    func registerDiagnostics(_ router: inout Router, store: Store) {
        router.unary(Coi_Core_V1_Diagnostics.Method.echo, .open) { (request: Coi_Core_V1_EchoRequest, _) -> Coi_Core_V1_EchoReply in
            .with { $0.message = request.message }
        }
        router.serverStreaming(Coi_Core_V1_Diagnostics.Method.echoStream, .open) { (request: Coi_Core_V1_EchoRequest, _, writer: ResponseWriter<Coi_Core_V1_EchoReply>) in
            guard request.repeat <= 10_000 else {
                throw RPCError.invalidField("repeat", "must be between 0 and 10000, is \(request.repeat)")
            }
            for index in 0..<max(1, request.repeat) {
                try Task.checkCancellation()
                try await writer.send(.with {
                    $0.message = request.message
                    $0.index = index
                })
            }
        }
        router.clientStreaming(Coi_Core_V1_Diagnostics.Method.echoCollect, .open) { (requests: RequestStream<Coi_Core_V1_EchoRequest>, _) -> Coi_Core_V1_EchoReply in
            // Open to anonymous callers: without a cap one caller could make the daemon hold any amount.
            var parts: [String] = []
            var collected = 0
            for try await request in requests {
                collected += request.message.utf8.count + 1
                guard collected <= Self.echoCollectLimit else {
                    throw RPCError(.resourceExhausted,
                                   "collected messages exceed the limit of \(Self.echoCollectLimit) bytes (1 MiB)",
                                   reason: "ECHO_COLLECT_LIMIT")
                }
                parts.append(request.message)
            }
            return .with { $0.message = parts.joined(separator: "\n") }
        }
        router.bidirectionalStreaming(Coi_Core_V1_Diagnostics.Method.echoChat, .open) { (requests: RequestStream<Coi_Core_V1_EchoRequest>, _, writer: ResponseWriter<Coi_Core_V1_EchoReply>) in
            var index: UInt32 = 0
            for try await request in requests {
                try await writer.send(.with {
                    $0.message = request.message
                    $0.index = index
                })
                index += 1
            }
        }
        // Sleep holds a stream open for up to ten minutes: open to anyone, it would let an
        // unknown local user tie up the connection's stream budget for free.
        router.unary(Coi_Core_V1_Diagnostics.Method.sleep, .authenticated) { (request: Coi_Core_V1_SleepRequest, _) -> Coi_Core_V1_SleepReply in
            guard request.millis <= 600_000 else {
                throw RPCError.invalidField("millis", "must be between 0 and 600000, is \(request.millis)")
            }
            try await Task.sleep(for: .milliseconds(Int(request.millis)))
            return Coi_Core_V1_SleepReply()
        }
        router.unary(Coi_Core_V1_Diagnostics.Method.writeCanary, .write("core.diagnostics")) { (request: Coi_Core_V1_WriteCanaryRequest, _) -> Coi_Core_V1_Canary in
            try Self.validateLabel(request.label)
            let now = Timestamp.now()
            let sequence = try await store.pool.write { db in
                try db.execute(sql: "INSERT INTO core_canaries (label, written_at) VALUES (?, ?)", arguments: [request.label, now])
                return db.lastInsertedRowID
            }
            return .with {
                $0.sequence = sequence
                $0.label = request.label
                $0.writtenAt = now
            }
        }
        router.unary(Coi_Core_V1_Diagnostics.Method.readCanary, .read("core.diagnostics")) { (request: Coi_Core_V1_ReadCanaryRequest, _) -> Coi_Core_V1_Canary in
            try Self.validateLabel(request.label)
            let row = try await store.pool.read { db -> (sequence: Int64, writtenAt: String)? in
                let row = try Row.fetchOne(db, sql: "SELECT sequence, written_at FROM core_canaries WHERE label = ? ORDER BY sequence DESC LIMIT 1",
                                           arguments: [request.label])
                return row.map { ($0["sequence"], $0["written_at"]) }
            }
            guard let row else {
                throw RPCError(.notFound, "no canary with label \"\(request.label)\"", reason: "NOT_FOUND")
            }
            return .with {
                $0.sequence = row.sequence
                $0.label = request.label
                $0.writtenAt = row.writtenAt
            }
        }
    }

    /// Most bytes EchoCollect gathers before it refuses: 1 MiB, a quarter of the frame limit.
    static let echoCollectLimit = 1024 * 1024

    static func validateLabel(_ label: String) throws {
        guard (1...200).contains(label.count) else {
            throw RPCError.invalidField("label", "must be 1 to 200 characters, is \(label.count)")
        }
    }
}
