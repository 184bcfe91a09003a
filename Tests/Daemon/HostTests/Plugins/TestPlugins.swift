import COIPluginKit
import COIProto
import COIRPC
import Foundation

/// A plugin for tests: declares what it is told to and can fail on start.
struct TestPlugin: Plugin {
    var id: String
    var requires: [String] = []
    var services: [RPCService] = []
    var migrations: [Migration] = []
    var failure: String?
    var register: @Sendable (inout Router) -> Void = { _ in }

    struct StartFailure: Error, CustomStringConvertible {
        let description: String
    }

    func start(context: PluginContext, router: inout Router) async throws {
        if let failure { throw StartFailure(description: failure) }
        register(&router)
    }
}

func temporaryStore() throws -> Store {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coid-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return try Store(path: dir.appendingPathComponent("coid.db").path)
}
