import COIPluginKit
import COIProto
import Foundation

extension CorePlugin {
    func registerIntrospection(_ router: inout Router) {
        let status = self.status
        let version = self.version
        router.unary(Coi_Core_V1_Introspection.Method.plugins, .read("core.introspect")) { (_: Coi_Core_V1_PluginsRequest, _) -> Coi_Core_V1_PluginsReply in
            .with { reply in
                reply.plugins = status.plugins.map { plugin in
                    .with {
                        $0.id = plugin.id
                        $0.requires = plugin.requires
                        $0.services = plugin.services
                        $0.permissions = plugin.permissions
                        $0.reason = plugin.reason
                        $0.schemaVersion = plugin.schemaVersion
                        switch plugin.status {
                        case .ok: $0.status = .ok
                        case .skipped: $0.status = .skipped
                        case .error: $0.status = .error
                        }
                    }
                }
            }
        }
        router.unary(Coi_Core_V1_Introspection.Method.server, .read("core.introspect")) { (_: Coi_Core_V1_ServerRequest, _) -> Coi_Core_V1_ServerReply in
            let snapshot = status.state.withLock { $0 }
            let uptime = ContinuousClock.now - status.startedClock
            return .with {
                $0.version = version
                $0.uptimeSeconds = uptime.components.seconds
                $0.pid = Int64(getpid())
                $0.listeners = snapshot.listeners
                $0.databasePath = snapshot.databasePath
                $0.stateDirectory = snapshot.stateDirectory
                $0.startedAt = Timestamp.string(status.startedAt)
                $0.openConnections = Int64(status.connections())
                $0.configFile = snapshot.configFile
                $0.sqliteVersion = snapshot.sqliteVersion
            }
        }
    }
}
