public import COIPluginKit

/// Orders plugins so that each starts after what it requires.
public enum PluginGraph {
    /// A registration mistake that stops start-up.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// Orders plugins by their requirements, keeping registration order among independent ones.
    /// - Parameter plugins: The registered plugins.
    /// - Returns: The plugins in start order.
    /// - Throws: `Failure` naming a duplicate id, a missing requirement, or a cycle.
    public static func order(_ plugins: [any Plugin]) throws(Failure) -> [any Plugin] {
        var byID: [String: any Plugin] = [:]
        for plugin in plugins {
            if byID[plugin.id] != nil { throw Failure(description: "plugin id \(plugin.id) is registered twice") }
            byID[plugin.id] = plugin
        }
        for plugin in plugins {
            for requirement in plugin.requires where byID[requirement] == nil {
                throw Failure(description: "plugin \(plugin.id) requires \(requirement), which is not registered")
            }
        }
        var ordered: [any Plugin] = []
        var done: Set<String> = []
        var visiting: [String] = []
        func visit(_ id: String) throws(Failure) {
            if done.contains(id) { return }
            if let start = visiting.firstIndex(of: id) {
                let cycle = visiting[start...] + [id]
                throw Failure(description: "plugin dependency cycle: \(cycle.joined(separator: " → "))")
            }
            visiting.append(id)
            for requirement in byID[id]!.requires { try visit(requirement) }
            visiting.removeLast()
            done.insert(id)
            ordered.append(byID[id]!)
        }
        for plugin in plugins { try visit(plugin.id) }
        return ordered
    }
}
