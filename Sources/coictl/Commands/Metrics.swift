import ArgumentParser
import COIProto
import COIRPC

struct Metrics: UnaryCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the server's Prometheus metrics (text exposition format).",
        discussion: """
            The same text the optional [metrics] listen endpoint serves at /metrics. Needs permission \
            core.metrics (roles admin and core.monitor). With --json: {"text": …, "content_type": …}.
            """)
    static let rpc = Coi_Core_V1_Metrics.Method.get
    @OptionGroup var options: GlobalOptions

    func request() -> Coi_Core_V1_GetMetricsRequest { .init() }

    func render(_ reply: Coi_Core_V1_GetMetricsReply) {
        options.json ? Output.show(reply, options) : Output.out(reply.text)
    }
}
