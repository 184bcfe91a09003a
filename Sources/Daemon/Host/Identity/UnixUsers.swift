import Foundation

/// Local users and groups, as the C library resolves them (files, LDAP, sssd …).
enum UnixUsers {
    /// The user name of a uid, or "uid<N>" when it has none.
    static func name(of uid: UInt32) -> String {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.pw_name else {
            return "uid\(uid)"
        }
        return String(cString: name)
    }

    /// Whether a user of that name exists (so that linking an account to a typo is refused).
    static func exists(_ name: String) -> Bool {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        return getpwnam_r(name, &entry, &buffer, buffer.count, &result) == 0 && result != nil
    }

    /// The name of a gid, if it has one.
    static func groupName(of gid: UInt32) -> String? {
        var entry = group_t()
        var result: UnsafeMutablePointer<group_t>?
        var buffer = [CChar](repeating: 0, count: 65_536)
        guard getgrgid_r(gid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.gr_name else { return nil }
        return String(cString: name)
    }

    /// Whether a user belongs to a group, as primary group or listed member.
    /// - Parameters:
    ///   - user: The user name.
    ///   - primaryGID: The gid of the peer process.
    ///   - group: The group's name.
    static func isMember(_ user: String, primaryGID: UInt32, of group: String) -> Bool {
        guard !group.isEmpty else { return false }
        var entry = group_t()
        var result: UnsafeMutablePointer<group_t>?
        var buffer = [CChar](repeating: 0, count: 65_536)
        guard getgrnam_r(group, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return false }
        if entry.gr_gid == primaryGID { return true }
        var members = entry.gr_mem
        while let member = members?.pointee {
            if String(cString: member) == user { return true }
            members = members?.advanced(by: 1)
        }
        return false
    }
}

typealias group_t = group
