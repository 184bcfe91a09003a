import Foundation

/// A TCP port on 127.0.0.1 that was free a moment ago: bound to port 0, read back, released.
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw DaemonError("socket: errno \(errno)") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw DaemonError("cannot bind a free port: errno \(errno)") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// GET `url` with curl; the body, or nil when the server did not answer 2xx.
func httpGet(_ url: String) async throws -> (status: Int32, body: String) {
    let result = try await runCommand("/usr/bin/curl", ["-sS", "--fail", "--max-time", "10", url])
    return (result.status, result.stdout)
}
