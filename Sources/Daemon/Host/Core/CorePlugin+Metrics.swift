import COIPluginKit
import COIProto

extension CorePlugin {
    func registerMetrics(_ router: inout Router) {
        let metrics = self.metrics
        router.unary(Coi_Core_V1_Metrics.Method.get, .read("core.metrics")) { (_: Coi_Core_V1_GetMetricsRequest, _) -> Coi_Core_V1_GetMetricsReply in
            .with {
                $0.text = metrics.exposition()
                $0.contentType = DaemonMetrics.contentType
            }
        }
    }
}
