import COIPluginKit

/// Every role and the permissions it grants: the built-in admin, moderator and member roles
/// (filled from what plugins declare with `grantedTo`) and the roles plugins declare.
struct RoleCatalog: Sendable {
    struct Role: Sendable {
        var name: String
        var summary: String
        var declaredBy: String
        var permissions: Set<String>
    }

    static let builtIn = ["admin", "moderator", "member"]

    private(set) var roles: [String: Role] = [:]
    /// Every declared permission with its summary.
    private(set) var permissions: [String: String] = [:]

    /// Builds the catalog from the plugins' declarations.
    /// - Parameter plugins: Every registered plugin.
    init(plugins: [any Plugin]) {
        roles["admin"] = Role(name: "admin", summary: "Every permission everywhere", declaredBy: "coi.identity", permissions: [])
        roles["moderator"] = Role(name: "moderator", summary: "Member, plus moderation of content", declaredBy: "coi.identity", permissions: [])
        roles["member"] = Role(name: "member", summary: "Every active person: contribute under their own name", declaredBy: "coi.identity", permissions: [])
        for plugin in plugins {
            for permission in plugin.permissions {
                permissions[permission.name] = permission.summary
                for role in permission.grantedTo where roles[role] != nil {
                    roles[role]!.permissions.insert(permission.name)
                    // A moderator is a member with more rights.
                    if role == "member" { roles["moderator"]!.permissions.insert(permission.name) }
                }
            }
        }
        for plugin in plugins {
            for role in plugin.roles where roles[role.name] == nil {
                roles[role.name] = Role(name: role.name, summary: role.summary, declaredBy: plugin.id, permissions: Set(role.permissions))
            }
        }
    }

    /// The grant a binding gives.
    /// - Parameters:
    ///   - role: The role's name.
    ///   - scope: The binding's scope.
    /// - Returns: The grant; nil for an unknown role (a plugin that declared it is gone).
    func grant(role: String, scope: String) -> Principal.Grant? {
        roles[role].map { Principal.Grant(role: role, scope: scope, permissions: $0.permissions) }
    }
}
