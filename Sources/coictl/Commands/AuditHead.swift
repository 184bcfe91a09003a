import ArgumentParser
import COIProto

extension Audit {
    /// `coictl audit head`: the newest audit entry's sequence and hash. Kept somewhere coid cannot
    /// write, it is an anchor: `Audit/Verify` with it proves no entry up to it was removed or changed.
    struct Head: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the newest audit entry's sequence and hash, an anchor to keep elsewhere.",
            discussion: """
                Removing the newest entries leaves a valid shorter chain; only an anchor kept outside the \
                machine reveals it. coid also logs this as "audit head" at start, stop and every \
                audit_anchor_interval_seconds.
                """)
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let session = try await Session.open(options)
            defer { Task { await session.close() } }
            let reply = try await session.call(Coi_Identity_V1_Audit.Method.head, Coi_Identity_V1_AuditHeadRequest())
            if options.json {
                Output.json(["sequence": Int(reply.sequence), "hash": reply.hash, "time": reply.time, "key_id": reply.keyID] as [String: Any])
            } else {
                print("sequence \(reply.sequence)\nhash     \(reply.hash)\ntime     \(reply.time)\nkey_id   \(reply.keyID)")
            }
        }
    }
}
