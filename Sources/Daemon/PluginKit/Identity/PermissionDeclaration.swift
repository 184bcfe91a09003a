/// A permission a plugin declares, and which built-in roles hold it unless an admin changes that.
public struct PermissionDeclaration: Sendable, Hashable {
    /// "plugin.action", e.g. "wiki.edit".
    public var name: String
    /// One line for people (shown by `coictl roles ls`).
    public var summary: String
    /// Built-in roles ("member", "moderator") that hold it; "admin" holds every permission.
    public var grantedTo: [String]

    /// Declares a permission.
    /// - Parameters:
    ///   - name: "plugin.action".
    ///   - summary: One line for people.
    ///   - grantedTo: Built-in roles that hold it.
    public init(_ name: String, _ summary: String, grantedTo: [String] = []) {
        self.name = name
        self.summary = summary
        self.grantedTo = grantedTo
    }
}

/// A role a plugin declares, such as "juror"; bound to accounts globally or in a scope.
public struct RoleDeclaration: Sendable, Hashable {
    public var name: String
    public var summary: String
    public var permissions: [String]

    /// Declares a role.
    /// - Parameters:
    ///   - name: The role's name, unique across plugins.
    ///   - summary: One line for people.
    ///   - permissions: The permissions it grants.
    public init(_ name: String, _ summary: String, permissions: [String]) {
        self.name = name
        self.summary = summary
        self.permissions = permissions
    }
}
