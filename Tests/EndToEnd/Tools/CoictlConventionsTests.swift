import Foundation
import Testing

/// What every coictl command shares (issue 9, item 6): global options anywhere, JSON lines and JSON
/// errors, paging, a quiet end on a closed pipe, connection errors in words, escaped control characters.
@Suite(.serialized) struct CoictlConventionsTests {
    func coictl(_ arguments: [String], input: String? = nil) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await runCommand(DaemonProcess.coictl, arguments, environment: ["COI_TOKEN": ""], input: input)
    }

    @Test func globalOptionsComeBeforeOrAfterTheSubcommand() async throws {
        let daemon = try await DaemonProcess()
        let before = try await coictl(["--socket", daemon.socketPath, "--json", "plugins", "ls"])
        let after = try await coictl(["plugins", "ls", "--json", "--socket", daemon.socketPath])
        let between = try await coictl(["plugins", "--json", "ls", "--socket", daemon.socketPath])
        #expect(before.status == 0 && after.status == 0 && between.status == 0, "\(before.stderr) \(after.stderr) \(between.stderr)")
        #expect(before.stdout == after.stdout && after.stdout == between.stdout)
        #expect(try jsonLines(before.stdout).first?["id"] as? String == "coi.core")
        let output = try await coictl(["-o", "json", "--socket", daemon.socketPath, "wiki", "recent"])
        #expect(output.status == 0, "\(output.stderr)")
        let version = try await coictl(["--json", "version", "--socket", daemon.socketPath])
        let object = try JSONSerialization.jsonObject(with: Data(version.stdout.utf8)) as? [String: Any]
        #expect(object?["coictl"] as? String == "0.1.0" && object?["coid"] as? String == "0.1.0", "\(version.stdout)")
        await daemon.stop()
    }

    @Test func listsPrintJSONLinesAndPage() async throws {
        let cli = try await IdentityCLI.start()
        var ids: [String] = []
        for name in ["Åse Ærø", "Bent Bøg", "Carl Cø", "Dorte Dæ", "Eva Øst"] { ids.append(try await cli.add(name)) }

        // One compact object per line, proto field names, every field present.
        let lines = try await cli.ok(["--json", "accounts", "ls"]).split(separator: "\n")
        #expect(lines.count == 5)
        let first = try jsonLines(String(lines[0]))[0]
        #expect(first["full_name"] as? String == "Åse Ærø" && first["email"] as? String == "" && first["kind"] as? String == "PERSON")

        // --page-size with --json: the items, then a last line with the next page's token.
        let page1 = try jsonLines(try await cli.ok(["accounts", "ls", "--page-size", "2", "--json"]))
        #expect(page1.count == 3 && page1.prefix(2).map { $0["id"] as? String } == Array(ids.prefix(2)))
        let token = try #require(page1.last?["next_page_token"] as? String)
        let page2 = try jsonLines(try await cli.ok(["accounts", "ls", "--page-size", "2", "--page-token", token, "--json"]))
        #expect(page2.prefix(2).map { $0["id"] as? String } == Array(ids[2..<4]))
        // For people the token goes to stderr.
        let table = try await cli.run(["accounts", "ls", "--page-size", "2"])
        #expect(table.status == 0 && table.stderr.contains("--page-token ") && !table.stdout.contains("next_page_token"))
        let all = try jsonLines(try await cli.ok(["accounts", "ls", "--page-size", "2", "--all", "--json"]))
        #expect(all.map { $0["id"] as? String } == ids)
        await cli.daemon.stop()
    }

    @Test func errorsAreJSONUnderJSON() async throws {
        let cli = try await IdentityCLI.start()
        let missing = try await cli.run(["--json", "accounts", "show", "acc_nope"])
        #expect(missing.status == 1)
        let error = try #require(try JSONSerialization.jsonObject(with: Data(missing.stderr.utf8)) as? [String: Any], "\(missing.stderr)")
        #expect(error["code"] as? String == "NOT_FOUND" && (error["message"] as? String)?.isEmpty == false)

        let invalid = try await cli.run(["accounts", "ls", "--page-size", "501", "--json"])
        #expect(invalid.status == 1)
        let violation = try #require(try JSONSerialization.jsonObject(with: Data(invalid.stderr.utf8)) as? [String: Any])
        #expect(violation["code"] as? String == "INVALID_ARGUMENT")
        let fields = try #require(violation["field_violations"] as? [[String: Any]])
        #expect(fields.first?["field"] as? String == "page_size")

        let usage = try await cli.run(["accounts", "show", "--json"])
        #expect(usage.status == 64)
        let usageError = try JSONSerialization.jsonObject(with: Data(usage.stderr.utf8)) as? [String: Any]
        #expect(usageError?["code"] as? String == "USAGE", "\(usage.stderr)")

        let nowhere = try await coictl(["--json", "status", "--socket", "/tmp/coid-e2e-nowhere/coid.sock"])
        #expect(nowhere.status == 69)
        let unavailable = try JSONSerialization.jsonObject(with: Data(nowhere.stderr.utf8)) as? [String: Any]
        #expect(unavailable?["code"] as? String == "UNAVAILABLE", "\(nowhere.stderr)")
        await cli.daemon.stop()
    }

    @Test func aClosedPipeEndsQuietly() async throws {
        let daemon = try await DaemonProcess()
        let work = try DaemonProcess.makeDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let cases: [[String]] = [
            ["wiki", "recent"],
            ["accounts", "ls"],
            // A megabyte, written line by line: coictl is still writing when head has gone.
            ["call", "coi.core.v1.Diagnostics/EchoStream", "{\"message\":\"\(String(repeating: "æ", count: 500))\",\"repeat\":2000}"],
            ["--json", "call", "coi.core.v1.Diagnostics/EchoStream", "{\"message\":\"x\",\"repeat\":10000}"],
        ]
        for arguments in cases {
            let quoted = ([DaemonProcess.coictl, "--socket", daemon.socketPath] + arguments).map { "'\($0)'" }.joined(separator: " ")
            let script = "\(quoted) 2>\(work.path)/err | head -1 >/dev/null; echo ${PIPESTATUS[0]} >\(work.path)/status"
            _ = try await runCommand("/bin/bash", ["-c", script])
            let status = try String(contentsOfFile: work.path + "/status", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let stderr = try String(contentsOfFile: work.path + "/err", encoding: .utf8)
            #expect(status == "0", "coictl \(arguments.joined(separator: " ")) | head -1 exited \(status): \(stderr)")
            #expect(stderr.isEmpty, "coictl \(arguments.joined(separator: " ")) | head -1 printed \(stderr)")
        }
        await daemon.stop()
    }

    @Test func connectionErrorsInWords() async throws {
        let missing = try await coictl(["status", "--socket", "/tmp/coid-e2e-nowhere/coid.sock"])
        #expect(missing.status == 69)
        #expect(missing.stderr.contains("cannot connect to /tmp/coid-e2e-nowhere/coid.sock: no such file — is coid running?"), "\(missing.stderr)")
        #expect(!missing.stderr.contains("connect(descriptor"))

        // A socket file nobody listens on (coid died without removing it).
        let work = try DaemonProcess.makeDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let stale = work.appendingPathComponent("stale.sock").path
        try bindWithoutListening(stale)
        let refused = try await coictl(["status", "--socket", stale])
        #expect(refused.status == 69)
        #expect(refused.stderr.contains("connection refused"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("connect(descriptor"))
    }

    /// Root passes every permission check, so EACCES is tried as nobody, when the binary is reachable for it.
    @Test(.enabled(if: Self.canRunAsNobody, "needs root, setpriv, and a coictl binary that others may execute"))
    func permissionDeniedInWords() async throws {
        let daemon = try await DaemonProcess()
        // The daemon's directory is root's alone: nobody cannot reach the socket inside it.
        chmod(daemon.directory.path, 0o700)
        let denied = try await runCommand("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups",
                                                               DaemonProcess.coictl, "status", "--socket", daemon.socketPath])
        #expect(denied.status == 69, "\(denied.stderr)")
        #expect(denied.stderr.contains("permission denied — is your user in group coi?"), "\(denied.stderr)")
        await daemon.stop()
    }

    @Test func controlCharactersNeverReachTheTerminal() async throws {
        let cli = try await IdentityCLI.start()
        // The server refuses control characters in names (issue 10); coictl's own escaping of stored
        // text is covered by OutputTests, for text an older server may have stored.
        let hostile = "Mallory\u{1b}]0;owned\u{07}\u{1b}[2J\u{202E}x"
        let refused = try await cli.run(["accounts", "add", "--name", hostile])
        #expect(refused.status == 1 && refused.stderr.contains("INVALID_ARGUMENT"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("\u{1b}]0;"), "the error echoes no raw escape sequence")
        let table = try await cli.ok(["accounts", "ls"])
        #expect(!table.contains("\u{1b}") && !table.contains("\u{07}") && !table.contains("\u{202E}"))
        await cli.daemon.stop()
    }

    static var canRunAsNobody: Bool {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return false }
        // Every directory on the way to the binary must be searchable by others, the binary executable.
        var url = URL(fileURLWithPath: DaemonProcess.coictl)
        while url.path != "/" {
            guard let mode = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.posixPermissions] as? Int,
                  mode & 0o001 != 0 else { return false }
            url.deleteLastPathComponent()
        }
        return true
    }

    /// Leaves a Unix socket file behind that no process listens on.
    private func bindWithoutListening(_ path: String) throws {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DaemonError("socket: \(errno)") }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.prefix(buffer.count - 1).enumerated() { buffer[index] = byte }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else { throw DaemonError("bind \(path): \(errno)") }
    }
}
