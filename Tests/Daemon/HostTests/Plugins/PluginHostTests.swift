import COIPluginKit
import COIProto
import COIRPC
import Logging
import Testing
@testable import COIHost

@Suite struct PluginHostTests {
    let logger = Logger(label: "test")
    /// A method no .proto declares, on purpose.
    static let rogue = RPC<Coi_Core_V1_EchoRequest, Coi_Core_V1_EchoReply>(service: RPCService("coi.rogue.v1.Rogue"), method: "Do", kind: .unary)

    func echo(_ router: inout Router) {
        router.unary(Coi_Core_V1_Diagnostics.Method.echo, .open) { (r: Coi_Core_V1_EchoRequest, _) in Coi_Core_V1_EchoReply.with { $0.message = r.message } }
    }

    @Test func failingPluginIsReportedAndOthersServe() async throws {
        let plugins: [any Plugin] = [
            TestPlugin(id: "broken", failure: "cannot reach the HR system"),
            TestPlugin(id: "dependent", requires: ["broken"]),
            TestPlugin(id: "fine", services: [Coi_Core_V1_Diagnostics.service], register: { router in
                router.unary(Coi_Core_V1_Diagnostics.Method.echo, .open) { (r: Coi_Core_V1_EchoRequest, _) in Coi_Core_V1_EchoReply.with { $0.message = r.message } }
            }),
        ]
        let started = try await PluginHost(plugins: plugins, policy: .init(), logger: logger)
            .start(store: try temporaryStore(), config: { _ in PluginConfig(table: TOMLTable(), file: nil) })
        let states = Dictionary(uniqueKeysWithValues: started.states.map { ($0.id, $0) })
        #expect(states["broken"]?.status == .error)
        #expect(states["broken"]?.reason == "cannot reach the HR system")
        #expect(states["dependent"]?.status == .skipped)
        #expect(states["dependent"]?.reason == "requires broken, which is in error")
        #expect(states["fine"]?.status == .ok)
        #expect(started.router.routes[Coi_Core_V1_Diagnostics.Method.echo.path] != nil)
    }

    @Test func disabledPluginAndItsDependentsAreSkipped() async throws {
        let started = try await PluginHost(
            plugins: [TestPlugin(id: "network"), TestPlugin(id: "reports", requires: ["network"]), TestPlugin(id: "wiki")],
            policy: .init(disabled: ["network"]), logger: logger
        ).start(store: try temporaryStore(), config: { _ in PluginConfig(table: TOMLTable(), file: nil) })
        #expect(started.states.map(\.status) == [.skipped, .skipped, .ok])
        #expect(started.states[0].reason == "disabled by configuration")
    }

    @Test func requiredPluginFailureStopsStartUp() async throws {
        await #expect(throws: TestPlugin.StartFailure.self) {
            _ = try await PluginHost(plugins: [TestPlugin(id: "identity", failure: "no keys")],
                                     policy: .init(required: ["identity"]), logger: logger)
                .start(store: try temporaryStore(), config: { _ in PluginConfig(table: TOMLTable(), file: nil) })
        }
    }

    @Test func cycleStopsStartUp() async throws {
        await #expect(throws: PluginGraph.Failure.self) {
            _ = try await PluginHost(plugins: [TestPlugin(id: "a", requires: ["b"]), TestPlugin(id: "b", requires: ["a"])],
                                     policy: .init(), logger: logger)
                .start(store: try temporaryStore(), config: { _ in PluginConfig(table: TOMLTable(), file: nil) })
        }
    }

    @Test func undeclaredServiceIsAPluginError() async throws {
        let started = try await PluginHost(
            plugins: [TestPlugin(id: "rogue", services: [Self.rogue.service], register: { router in
                router.unary(Self.rogue, .open) { (r: Coi_Core_V1_EchoRequest, _) in Coi_Core_V1_EchoReply() }
            })],
            policy: .init(), logger: logger
        ).start(store: try temporaryStore(), config: { _ in PluginConfig(table: TOMLTable(), file: nil) })
        #expect(started.states[0].status == .error)
        #expect(started.states[0].reason.contains("not declared in any .proto"))
    }

    @Test func migrationsAreAppliedAndRecorded() async throws {
        let store = try temporaryStore()
        let plugin = TestPlugin(id: "notes", migrations: [.sql("001_notes", "CREATE TABLE notes_items (id INTEGER PRIMARY KEY)")])
        let started = try await PluginHost(plugins: [plugin], policy: .init(), logger: logger)
            .start(store: store, config: { _ in PluginConfig(table: TOMLTable(), file: nil) })
        #expect(started.states[0].schemaVersion == "001_notes")
        let count = try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM notes_items") }
        #expect(count == 0)
    }
}
