import Foundation
import Testing

/// `coictl wiki recent --follow` and `wiki watchlist --follow` stream changes as they are made,
/// through a pipe-like file, until coictl is stopped.
@Suite struct WikiFollowTests {
    @Test func followStreamsNewChangesUntilStopped() async throws {
        let cli = try await IdentityCLI.start()
        defer { Task { await cli.daemon.stop() } }
        let anna = try await cli.issue(try await cli.add("Anna Jensen", ["--role", "member"]))
        let bo = try await cli.issue(try await cli.add("Bo Berg", ["--role", "member"]))
        let coictl = DaemonProcess.coictl
        let socket = cli.daemon.socketPath
        let first = try await runCommand(coictl, ["wiki", "edit", "Følgt side", "--socket", socket, "--token", anna], input: "en\n")
        #expect(first.status == 0, "\(first.stderr)")
        let recentOut = cli.daemon.directory.appendingPathComponent("recent.out").path
        let watchOut = cli.daemon.directory.appendingPathComponent("watch.out").path
        let recent = try ChildProcess(coictl, ["wiki", "recent", "--follow", "--socket", socket, "--token", bo],
                                      environment: childEnvironment(["COI_TOKEN": ""]), stdout: recentOut, stderr: recentOut)
        // Anna watches what she wrote; her watchlist follows Bo's edit of it.
        let watch = try ChildProcess(coictl, ["wiki", "watchlist", "--follow", "--socket", socket, "--token", anna],
                                     environment: childEnvironment(["COI_TOKEN": ""]), stdout: watchOut, stderr: watchOut)
        func contents(_ path: String) -> String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        for _ in 0..<250 where !contents(recentOut).contains("Følgt side") || !contents(watchOut).contains("Følgt side") {
            try await Task.sleep(for: .milliseconds(20))
        }
        let base = try #require(first.stdout.split(separator: "\n").first.map(String.init))
        let edit = try await runCommand(coictl, ["wiki", "edit", "Følgt side", "--base", base, "--summary", "Bo retter",
                                                 "--socket", socket, "--token", bo], input: "to\n")
        #expect(edit.status == 0, "\(edit.stderr)")
        for _ in 0..<250 where !contents(recentOut).contains("Bo retter") || !contents(watchOut).contains("Bo retter") {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(contents(recentOut).contains("Bo retter"), "\(contents(recentOut))")
        #expect(contents(watchOut).contains("Bo retter"), "\(contents(watchOut))")
        #expect(recent.isRunning && watch.isRunning, "a followed feed stays open")
        recent.signal(SIGTERM)
        watch.signal(SIGTERM)
        _ = await recent.wait()
        _ = await watch.wait()
    }
}
