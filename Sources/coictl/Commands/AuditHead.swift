import ArgumentParser
import COIProto

extension Audit {
    /// `coictl audit head`: the newest audit entry's sequence and hash. Kept somewhere coid cannot
    /// write, it is an anchor: `Audit/Verify` with it proves no entry up to it was removed or changed.
    struct Head: UnaryCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the newest audit entry's sequence and hash, an anchor to keep elsewhere.",
            discussion: """
                Removing the newest entries leaves a valid shorter chain; only an anchor kept outside the \
                machine reveals it. coid also logs this as "audit head" at start, stop and every \
                audit_anchor_interval_seconds.
                """)
        static let rpc = Coi_Identity_V1_Audit.Method.head
        @OptionGroup var options: GlobalOptions

        func request() -> Coi_Identity_V1_AuditHeadRequest { Coi_Identity_V1_AuditHeadRequest() }

        func render(_ reply: Coi_Identity_V1_AuditHeadReply) {
            render(reply, text: "sequence \(reply.sequence)\nhash     \(reply.hash)\ntime     \(reply.time)\nkey_id   \(reply.keyID)")
        }
    }
}
