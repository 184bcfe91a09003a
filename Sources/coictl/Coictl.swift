import ArgumentParser

@main
struct Coictl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coictl",
        abstract: "Manage a running coid.",
        discussion: """
            The socket is --socket, else $COI_SOCKET, else ./.state/coid.sock when it exists (the \
            development default of `swift run coid`), else /run/coid/coid.sock.

            Exit codes: 0 success; 1 the server rejected the request (its status is printed); \
            2 a health check answered other than SERVING; 64 bad usage; 69 cannot connect to coid.
            """,
        version: "coictl \(coictlVersion)",
        subcommands: [Status.self, Health.self, Plugins.self, Version.self, Accounts.self, Tokens.self, Roles.self, Audit.self, Wiki.self, Nominations.self, Barometer.self, WhoAmI.self, Call.self])
}

let coictlVersion = "0.1.0"
