import Foundation
import Testing

/// The Python and Go clients in clients/ share no code with the server: the Python one is a
/// hundred lines of framing on python3-protobuf, the Go one is containerd's unmodified ttrpc client
/// from Debian. Both call the real daemon: Echo, Health, a wiki page, and an error with its status.
@Suite(.serialized) struct OtherLanguageClientsTests {
    /// A daemon with one wiki page, and a member's token.
    func daemonWithPage() async throws -> (IdentityCLI, token: String) {
        let cli = try await IdentityCLI.start()
        let token = try await cli.issue(try await cli.add("Søren Ærøe", ["--role", "member"]))
        let edit = try await runCommand(DaemonProcess.coictl, ["wiki", "edit", "Velfærdsteknologi i Ærø Kommune", "--summary", "Ny",
                                                               "--socket", cli.daemon.socketPath, "--token", token],
                                        environment: ["COI_TOKEN": ""], input: "Robotstøvsugere på plejehjemmet i Marstal.\n")
        #expect(edit.status == 0, "\(edit.stderr)")
        return (cli, token)
    }

    @Test func pythonClientUnaryStreamingAndErrors() async throws {
        let dir = repositoryRoot.appendingPathComponent("clients/python").path
        let make = try await runCommand("/usr/bin/make", ["-s", "-C", dir])
        try #require(make.status == 0, "make failed: \(make.stderr)")
        let (cli, token) = try await daemonWithPage()
        let socket = cli.daemon.socketPath
        func client(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
            try await runCommand("/usr/bin/python3", [dir + "/coi_client.py", "--socket", socket] + arguments)
        }

        let echo = try await client(["echo", "Københavns Kommune"])
        #expect(echo.status == 0 && echo.stdout == "Københavns Kommune\n", "\(echo)")
        let stream = try await client(["echo-stream", "æøå", "3"])
        #expect(stream.status == 0 && stream.stdout == "0 æøå\n1 æøå\n2 æøå\n", "\(stream)")
        let health = try await client(["health"])
        #expect(health.status == 0 && health.stdout == "SERVING\n")
        let unknown = try await client(["health", "coi.nope.v1.X"])
        #expect(unknown.status == 1 && unknown.stderr.contains("NOT_FOUND") && unknown.stderr.contains("UNKNOWN_SERVICE"), "\(unknown)")
        let page = try await client(["--token", token, "wiki-get", "Velfærdsteknologi i Ærø Kommune"])
        #expect(page.status == 0 && page.stdout == "Robotstøvsugere på plejehjemmet i Marstal.\n", "\(page)")
        let badToken = try await client(["--token", "coi_forkert", "wiki-get", "Velfærdsteknologi i Ærø Kommune"])
        #expect(badToken.status == 1 && badToken.stderr.contains("UNAUTHENTICATED") && badToken.stderr.contains("TOKEN_UNKNOWN"), "\(badToken)")
        let head = try await runCommand("/bin/sh", ["-c", "/usr/bin/python3 \"$0\" --socket \"$1\" echo-stream x 500 | head -1", dir + "/coi_client.py", socket])
        #expect(head.status == 0 && head.stdout == "0 x\n" && head.stderr.isEmpty, "\(head)")
        await cli.daemon.stop()
        let gone = try await client(["echo", "x"])
        #expect(gone.status == 69)
    }

    @Test func goClientWithDebiansTtrpc() async throws {
        let dir = repositoryRoot.appendingPathComponent("clients/go").path
        let build = try await runCommand("/bin/bash", [dir + "/build.sh"])
        try #require(build.status == 0, "build.sh failed: \(build.stderr)")
        let binary = dir + "/coi-go-client"
        let (cli, token) = try await daemonWithPage()
        let socket = cli.daemon.socketPath
        func client(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
            try await runCommand(binary, ["--socket", socket] + arguments)
        }

        let echo = try await client(["echo", "Københavns Kommune"])
        #expect(echo.status == 0 && echo.stdout == "Københavns Kommune\n", "\(echo)")
        let health = try await client(["health"])
        #expect(health.status == 0 && health.stdout == "SERVING\n", "\(health)")
        let plugin = try await client(["health", "coi.wiki"])
        #expect(plugin.status == 0 && plugin.stdout == "SERVING\n", "\(plugin)")
        let page = try await client(["--token", token, "wiki-get", "Velfærdsteknologi i Ærø Kommune"])
        #expect(page.status == 0 && page.stdout == "Robotstøvsugere på plejehjemmet i Marstal.\n", "\(page)")
        let missing = try await client(["--token", token, "wiki-get", "Findes ikke"])
        #expect(missing.status == 1 && missing.stderr.contains("NotFound"), "\(missing)")
        let refused = try await client(["--token", "coi_forkert", "wiki-get", "Velfærdsteknologi i Ærø Kommune"])
        #expect(refused.status == 1 && refused.stderr.contains("Unauthenticated"), "\(refused)")
        await cli.daemon.stop()
    }
}
