import COIPluginKit
import Foundation
import Testing

/// The daemon's content hashes: SHA-256 through swift-crypto, hex byte for byte what
/// `String(format: "%02x")` gave, so audit chains written before still verify.
@Suite struct ContentHashTests {
    @Test func sha256KnownVectors() {
        #expect(ContentHash.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(ContentHash.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ContentHash.sha256Hex(String(repeating: "a", count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func hexMatchesFormatForEveryByte() {
        let all = (0...255).map { UInt8($0) }
        #expect(ContentHash.hex(all) == all.map { String(format: "%02x", $0) }.joined())
        #expect(ContentHash.hex([UInt8]()) == "")
    }
}
