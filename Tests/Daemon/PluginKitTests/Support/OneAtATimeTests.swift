import COIPluginKit
import COIWire
import Testing

@Suite struct OneAtATimeTests {
    /// A second operation on a held key is refused with the caller's error and its body never
    /// runs; other keys run meanwhile; the key is free again once the first ends, even by throwing.
    @Test func oneOperationPerKeyAndTheKeyIsFreedHoweverItEnds() async throws {
        let gate = OneAtATime()
        let busy = RPCError(.aborted, "busy", reason: "BUSY")
        let (entered, enter) = AsyncStream.makeStream(of: Void.self)
        let (released, release) = AsyncStream.makeStream(of: Void.self)
        let first = Task {
            try await gate.run("seeker-1", busy: { busy }) {
                enter.yield()
                for await _ in released { break }
                return "first"
            }
        }
        for await _ in entered { break }
        var secondRan = false
        await #expect(throws: busy) {
            try await gate.run("seeker-1", busy: { busy }) { secondRan = true }
        }
        #expect(!secondRan)
        #expect(try await gate.run("seeker-2", busy: { busy }) { "other key" } == "other key")
        release.yield()
        #expect(try await first.value == "first")

        struct Failed: Error {}
        await #expect(throws: Failed.self) {
            try await gate.run("seeker-1", busy: { busy }) { throw Failed() }
        }
        #expect(try await gate.run("seeker-1", busy: { busy }) { "free again" } == "free again")
    }
}
