import Foundation
import Testing
@testable import COIHost

/// The audit chain's hex encoding is byte for byte what `String(format: "%02x")` gave, so chains
/// written before the change still verify.
@Suite struct HexTests {
    @Test func matchesFormatForEveryByte() {
        let all = (0...255).map { UInt8($0) }
        #expect(hex(all) == all.map { String(format: "%02x", $0) }.joined())
        #expect(hex([UInt8]()) == "")
    }
}
