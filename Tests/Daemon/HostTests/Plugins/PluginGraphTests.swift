import COIPluginKit
import Testing
@testable import COIHost

@Suite struct PluginGraphTests {
    @Test func requirementsStartFirst() throws {
        let order = try PluginGraph.order([
            TestPlugin(id: "c", requires: ["b"]), TestPlugin(id: "a"), TestPlugin(id: "b", requires: ["a"]),
        ]).map(\.id)
        #expect(order == ["a", "b", "c"])
    }

    @Test func cycleIsNamed() {
        #expect {
            try PluginGraph.order([TestPlugin(id: "x", requires: ["y"]), TestPlugin(id: "y", requires: ["x"])])
        } throws: { error in
            "\(error)" == "plugin dependency cycle: x → y → x"
        }
    }

    @Test func missingRequirementIsNamed() {
        #expect {
            try PluginGraph.order([TestPlugin(id: "wiki", requires: ["identity"])])
        } throws: { error in
            "\(error)".contains("plugin wiki requires identity, which is not registered")
        }
    }

    @Test func duplicateIdIsAnError() {
        #expect(throws: PluginGraph.Failure.self) { try PluginGraph.order([TestPlugin(id: "a"), TestPlugin(id: "a")]) }
    }
}
