import Foundation
import NIOSSL

/// Where the server listens.
public enum ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// A Unix socket the server binds (and removes when stale).
    case unix(path: String, mode: UInt32, group: String?)
    /// A listening socket inherited from systemd (socket activation).
    case inherited(fd: Int32, name: String)
    /// A TCP socket whose connections speak TLS, for integrations on other hosts; the PEM files are
    /// read when it is bound. Port 0 binds an ephemeral port, which the bound address then carries.
    case tls(host: String, port: Int, certificate: String, privateKey: String)

    public var description: String {
        switch self {
        case let .unix(path, _, _): "unix:\(path)"
        case let .inherited(fd, name): "fd:\(fd) (systemd \(name))"
        case let .tls(host, port, _, _): "tls:\(host.contains(":") ? "[\(host)]" : host):\(port)"
        }
    }

    /// Parses `host:port` (`[::1]:7443` for IPv6 literals).
    /// - Parameter text: The `listen` value.
    /// - Returns: Host and port.
    /// - Throws: `TLSFileError` with the reason.
    static func parseHostPort(_ text: String) throws(TLSFileError) -> (host: String, port: Int) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw TLSFileError(key: "listen", reason: "must be \"host:port\" or \"[ipv6]:port\", is \"\(text)\"")
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else {
                throw TLSFileError(key: "listen", reason: "must be \"host:port\" (IPv6 in brackets: \"[::1]:7443\"), is \"\(text)\"")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty else {
            throw TLSFileError(key: "listen", reason: "names no host, is \"\(text)\" (use \"0.0.0.0:7443\" for every interface)")
        }
        guard let port = Int(portText), (0...65_535).contains(port) else {
            throw TLSFileError(key: "listen", reason: "port must be between 0 and 65535, is \"\(portText)\"")
        }
        return (String(host), port)
    }

    /// Loads the certificate chain and key into a server context, checking that they belong together.
    /// - Parameters:
    ///   - certificate: PEM file: the server certificate first, then any intermediates.
    ///   - privateKey: PEM file: the certificate's unencrypted private key.
    /// - Returns: The context every TLS connection of the listener shares.
    /// - Throws: `TLSFileError` naming the config key, the file and the reason.
    static func serverTLSContext(certificate: String, privateKey: String) throws(TLSFileError) -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(read(certificate, key: "certificate"))
        } catch let error as TLSFileError {
            throw error
        } catch {
            throw TLSFileError(key: "certificate", reason: "\(certificate) is not a PEM certificate chain (\(error))")
        }
        guard !chain.isEmpty else {
            throw TLSFileError(key: "certificate", reason: "\(certificate) holds no PEM certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            // Without a callback BoringSSL would prompt on the terminal for an encrypted key's passphrase.
            key = try NIOSSLPrivateKey(bytes: read(privateKey, key: "private_key"), format: .pem) { (_: NIOSSLPassphraseSetter<[UInt8]>) in }
        } catch let error as TLSFileError {
            throw error
        } catch {
            throw TLSFileError(key: "private_key", reason: "\(privateKey) is not an unencrypted PEM private key (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) },
                                                                     privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSFileError(key: "private_key", reason: "\(privateKey) does not match the certificate in \(certificate) (\(error))")
        }
    }

    private static func read(_ path: String, key: String) throws(TLSFileError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = access(path, R_OK) != 0 ? String(cString: strerror(errno)) : "not a readable file"
            throw TLSFileError(key: key, reason: "cannot read \(path): \(reason)")
        }
        return Array(data)
    }
}

/// A bad `[server.tls]` value or file: the key (within `server.tls`) and the reason, which names the file.
struct TLSFileError: Error, CustomStringConvertible {
    var key: String
    var reason: String
    var description: String { "server.tls.\(key): \(reason)" }
}
