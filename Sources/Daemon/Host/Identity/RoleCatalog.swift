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

    /// Roles by their qualified name: built-in roles as they are, plugin roles as "<namespace>.<role>".
    private(set) var roles: [String: Role] = [:]
    /// A plugin role's plain name ("juror") to the qualified names declaring it.
    private var plainNames: [String: [String]] = [:]
    /// Every declared permission with its summary.
    private(set) var permissions: [String: String] = [:]
    /// Scope kinds by name ("campaign"), from the plugins that own those records.
    private(set) var scopeKinds: [String: ScopeKind] = [:]

    /// Builds the catalog from the plugins' declarations.
    /// - Parameter plugins: Every registered plugin.
    init(plugins: [any Plugin]) {
        roles["admin"] = Role(name: "admin", summary: "Every permission everywhere", declaredBy: "coi.identity", permissions: [])
        roles["moderator"] = Role(name: "moderator", summary: "Member, plus moderation of content", declaredBy: "coi.identity", permissions: [])
        roles["member"] = Role(name: "member", summary: "Every active person: contribute under their own name", declaredBy: "coi.identity", permissions: [])
        for plugin in plugins {
            for kind in plugin.scopeKinds where scopeKinds[kind.name] == nil { scopeKinds[kind.name] = kind }
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
            for role in plugin.roles {
                let name = "\(plugin.namespace).\(role.name)"
                guard roles[name] == nil else { continue }
                roles[name] = Role(name: name, summary: role.summary, declaredBy: plugin.id, permissions: Set(role.permissions))
                plainNames[role.name, default: []].append(name)
            }
        }
    }

    /// The qualified name a caller's role name stands for.
    ///
    /// A plugin role may be named plainly ("juror") while only one plugin declares it; once two do,
    /// the plain name is ambiguous and the qualified one ("nominations.juror") is required.
    /// - Parameter name: A built-in role, a qualified plugin role, or a plain plugin role name.
    /// - Returns: The qualified name, or nil when no role (or more than one) has that name.
    func resolve(_ name: String) -> String? {
        if roles[name] != nil { return name }
        guard let candidates = plainNames[name], candidates.count == 1 else { return nil }
        return candidates[0]
    }

    /// Explains why `resolve` found nothing, for an INVALID_ARGUMENT message.
    /// - Parameter name: The name that did not resolve.
    /// - Returns: A sentence naming the candidates, if any.
    func unknown(_ name: String) -> String {
        if let candidates = plainNames[name], candidates.count > 1 {
            return "role \"\(name)\" is declared by more than one plugin; name one of \(candidates.sorted().joined(separator: ", "))"
        }
        return "unknown role \"\(name)\"; see `coictl roles ls`"
    }

    /// The grant a binding gives.
    /// - Parameters:
    ///   - role: The role's name.
    ///   - scope: The binding's scope.
    /// - Returns: The grant; nil for an unknown role (a plugin that declared it is gone).
    func grant(role: String, scope: String) -> Principal.Grant? {
        // Bindings made before roles were qualified store the plain name.
        guard let name = resolve(role), let found = roles[name] else { return nil }
        return Principal.Grant(role: name, scope: scope, permissions: found.permissions)
    }
}
