public import Foundation

/// Listening sockets passed by systemd (`LISTEN_PID`, `LISTEN_FDS`, `LISTEN_FDNAMES`), as sd_listen_fds(3) reads them.
public enum SocketActivation {
    /// The first inherited descriptor.
    static let firstDescriptor: Int32 = 3

    /// The sockets passed to this process, or none.
    /// - Parameter environment: The process environment.
    /// - Returns: One address per inherited descriptor.
    public static func inheritedListeners(environment: [String: String] = ProcessInfo.processInfo.environment) -> [ListenAddress] {
        guard let pid = environment["LISTEN_PID"].flatMap(Int32.init), pid == getpid(),
              let count = environment["LISTEN_FDS"].flatMap(Int32.init), count > 0 else { return [] }
        let names = environment["LISTEN_FDNAMES"]?.split(separator: ":", omittingEmptySubsequences: false).map(String.init) ?? []
        return (0..<count).map { index in
            let fd = firstDescriptor + index
            // Keep them out of any child process we might start.
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            let name = Int(index) < names.count ? names[Int(index)] : "unknown"
            return .inherited(fd: fd, name: name)
        }
    }
}
