import Crypto
import Foundation

/// The audit chain's HMAC key, kept outside the database so that whoever can write the database
/// file cannot recompute the chain after changing it.
///
/// Looked for, in order: `$CREDENTIALS_DIRECTORY/audit-key` (systemd's `LoadCredential=` or
/// `LoadCredentialEncrypted=`), then `<state_dir>/credentials/audit-key`, which coid creates on its
/// first start (256 random bits as 64 hex digits, mode 0600, in a 0700 directory). A file holds 64
/// hex digits (surrounding whitespace ignored) or at least 32 raw bytes.
enum AuditKey {
    /// Why a key file cannot be used.
    struct Unusable: Error, CustomStringConvertible {
        let path: String
        let why: String
        var description: String { "audit key \(path): \(why)" }
    }

    /// Where the key came from.
    struct Loaded {
        let key: SymmetricKey
        let path: String
        let created: Bool
    }

    /// Finds or creates the key.
    /// - Parameters:
    ///   - stateDirectory: The daemon's state directory.
    ///   - environment: The process environment (for `CREDENTIALS_DIRECTORY`).
    /// - Throws: `Unusable` when a key file exists but does not hold a key, or cannot be created.
    static func load(stateDirectory: String, environment: [String: String]) throws -> Loaded {
        if let credentials = environment["CREDENTIALS_DIRECTORY"], !credentials.isEmpty {
            let path = credentials + "/audit-key"
            if FileManager.default.fileExists(atPath: path) {
                return Loaded(key: try parse(try read(path), path: path), path: path, created: false)
            }
        }
        let directory = stateDirectory + "/credentials"
        let path = directory + "/audit-key"
        if FileManager.default.fileExists(atPath: path) {
            chmod(path, 0o600)
            return Loaded(key: try parse(try read(path), path: path), path: path, created: false)
        }
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        let key = SymmetricKey(size: .bits256)
        let hex = key.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() } + "\n"
        // O_EXCL: two coids starting at once must not each write a different key.
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw Unusable(path: path, why: "cannot be created: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(hex.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
            throw Unusable(path: path, why: "cannot be written: \(String(cString: strerror(errno)))")
        }
        return Loaded(key: key, path: path, created: true)
    }

    /// The existing key, looked for where `load` looks, without creating one (`coid restore`).
    /// - Returns: The key, or nil when there is none yet.
    static func existing(stateDirectory: String, environment: [String: String]) throws -> Loaded? {
        var candidates = [stateDirectory + "/credentials/audit-key"]
        if let credentials = environment["CREDENTIALS_DIRECTORY"], !credentials.isEmpty {
            candidates.insert(credentials + "/audit-key", at: 0)
        }
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else { return nil }
        return Loaded(key: try parse(try read(path), path: path), path: path, created: false)
    }

    private static func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else { throw Unusable(path: path, why: "cannot be read") }
        return data
    }

    /// A key from a file's contents: 64 hex digits, or at least 32 raw bytes.
    static func parse(_ data: Data, path: String) throws -> SymmetricKey {
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count == 64, text.allSatisfy(\.isHexDigit) {
            var bytes: [UInt8] = []
            var index = text.startIndex
            while index < text.endIndex {
                let next = text.index(index, offsetBy: 2)
                bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
                index = next
            }
            return SymmetricKey(data: bytes)
        }
        guard data.count >= 32 else { throw Unusable(path: path, why: "holds \(data.count) bytes; a key is 64 hex digits or at least 32 bytes") }
        return SymmetricKey(data: data)
    }
}
