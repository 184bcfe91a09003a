import Testing
@testable import COIHost

/// The `authorization` scheme is matched on bytes, in any case, with exactly one space.
@Suite struct BearerSchemeTests {
    @Test(arguments: ["Bearer coi_x", "bearer coi_x", "BEARER coi_x", "BeArEr coi_x", "Bearer "])
    func accepts(_ header: String) {
        #expect(Identity.hasBearerScheme(header))
    }

    @Test(arguments: ["Bearercoi_x", "Basic coi_x", "Bearer", "bearer\tcoi_x", "Bearer_coi_x", "", "Béarer coi_x", " Bearer coi_x"])
    func refuses(_ header: String) {
        #expect(!Identity.hasBearerScheme(header))
    }
}
