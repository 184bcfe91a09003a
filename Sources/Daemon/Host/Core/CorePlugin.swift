import COIPluginKit
import COIProto
import COIRPC
import COIWire
import Crypto
import Foundation
import GRDB

/// The daemon's own services: health, diagnostics, introspection and reflection. Registered like
/// any plugin (id "coi.core") and always required.
struct CorePlugin: Plugin {
    let status: HostStatus
    let descriptors: DescriptorIndex
    let version: String
    /// The audit chain's key: a backup's chain is verified before it is handed out.
    let auditKey: SymmetricKey
    let metrics: DaemonMetrics

    var id: String { "coi.core" }
    var services: [RPCService] {
        [Grpc_Health_V1_Health.service, Coi_Core_V1_Diagnostics.service, Coi_Core_V1_Introspection.service,
         Coi_Core_V1_Reflection.service, Coi_Core_V1_Reference.service, Coi_Core_V1_Backup.service,
         Coi_Core_V1_Metrics.service]
    }
    var permissions: [PermissionDeclaration] {
        [PermissionDeclaration("core.introspect", "See the server's plugins, listeners, paths and connections"),
         PermissionDeclaration("core.diagnostics", "Write and read durability canaries"),
         // Granted to no built-in role but admin: a copy holds every account, token hash and personal datum.
         PermissionDeclaration("core.backup", "Take a copy of the whole database"),
         PermissionDeclaration("core.metrics", "Read the server's Prometheus metrics")]
    }
    /// `core.monitor`: for a monitoring system's account, which sees how coid is doing (health is
    /// open to everyone; status and metrics need these permissions) and nothing of its content.
    var roles: [RoleDeclaration] {
        [RoleDeclaration("monitor", "Read health, status and metrics; nothing else", permissions: ["core.introspect", "core.metrics"])]
    }
    var migrations: [Migration] { Self.migrationList }

    /// The core tables' migrations, also known to `coid restore` before any plugin exists.
    static var migrationList: [Migration] {
        [.sql("001_canaries", """
            CREATE TABLE core_canaries (
                sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                label TEXT NOT NULL,
                written_at TEXT NOT NULL
            );
            CREATE INDEX core_canaries_label ON core_canaries(label, sequence);
            """)]
    }

    func start(context: PluginContext, router: inout Router) async throws {
        registerHealth(&router)
        registerDiagnostics(&router, store: context.store)
        registerIntrospection(&router)
        registerReflection(&router)
        registerReference(&router)
        registerBackup(&router, store: context.store)
        registerMetrics(&router)
    }
}
