/// Where the server listens.
public enum ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// A Unix socket the server binds (and removes when stale).
    case unix(path: String, mode: UInt32, group: String?)
    /// A listening socket inherited from systemd (socket activation).
    case inherited(fd: Int32, name: String)

    public var description: String {
        switch self {
        case let .unix(path, _, _): "unix:\(path)"
        case let .inherited(fd, name): "fd:\(fd) (systemd \(name))"
        }
    }
}
