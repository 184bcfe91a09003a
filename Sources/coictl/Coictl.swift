import ArgumentParser

struct Coictl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coictl",
        abstract: "Manage a running coid.",
        discussion: """
            Global options (--socket, --token, --act-as, --timeout, --json, -o) may come before or \
            after the subcommand: `coictl --json wiki recent` is `coictl wiki recent --json`.

            The socket is --socket, else $COI_SOCKET, else ./.state/coid.sock when it exists (the \
            development default of `swift run coid`), else /run/coid/coid.sock.

            --json prints one JSON document for a single object and JSON lines (one object per line) \
            for lists and streams, with the .proto's field names; errors print as one JSON object on \
            stderr: {"code": "INVALID_ARGUMENT", "message": …, "field_violations": […]}.

            Exit codes: 0 success; 1 the server rejected the request (its status is printed); \
            2 a health check answered other than SERVING; 64 bad usage; 65 a malformed input file; \
            69 cannot connect to coid.

            `coictl --version` prints coictl's version (`coictl version` also the server's). Below the \
            top level, --version is a command's own option: the version of a record you read, for \
            commands that refuse to overwrite a change made since (optimistic concurrency).
            """,
        subcommands: [Status.self, Health.self, Plugins.self, Metrics.self, Version.self, Accounts.self, Tokens.self, Roles.self, Audit.self, Backup.self,
                      Wiki.self, Nominations.self, Network.self, Placements.self, Barometer.self, Reference.self, WhoAmI.self, Call.self])
}

let coictlVersion = "0.1.0"
