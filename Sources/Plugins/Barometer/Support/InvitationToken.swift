import COIPluginKit
import Foundation

/// The secret a sampled workplace answers with: 24 bytes from the system's cryptographic generator
/// (unlike the sample, which must be reproducible, a token must be unguessable), Base64URL-encoded.
enum InvitationToken {
    /// A fresh token, "inv_" and 32 characters.
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<24).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "inv_" + Base64URL.encode(Data(bytes))
    }
}
