import Foundation
import Testing

/// `scripts/build-deb.sh` and what the package holds (issue 14 item 1). The release build takes long,
/// so this runs only with COID_TEST_DEB=1; COID_DEB_BIN_DIR names release binaries built before
/// (`-c release --static-swift-stdlib`) to package instead of building them.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["COID_TEST_DEB"] == "1", "set COID_TEST_DEB=1 to build the .deb"))
struct DebianPackageTests {
    @Test func packageHoldsWhatAServerNeeds() async throws {
        let out = try DaemonProcess.makeDirectory()
        var arguments = [repositoryRoot.appendingPathComponent("scripts/build-deb.sh").path, "--out", out.path]
        if let binaries = ProcessInfo.processInfo.environment["COID_DEB_BIN_DIR"] { arguments += ["--bin-dir", binaries] }
        let build = try await runCommand("/bin/bash", arguments)
        #expect(build.status == 0, "build-deb.sh: \(build.stderr.suffix(4000))")
        let deb = build.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(deb.hasSuffix("_amd64.deb") && deb.contains("/coid_"), "\(deb)")

        let info = try await runCommand("/usr/bin/dpkg-deb", ["--field", deb, "Package", "Architecture", "Depends"])
        #expect(info.stdout.contains("Package: coid") && info.stdout.contains("Architecture: amd64"))
        #expect(info.stdout.contains("libc6") && info.stdout.contains("libsqlite3-0"), "\(info.stdout)")
        #expect(!info.stdout.lowercased().contains("swift"), "the package depends on Swift: \(info.stdout)")

        let contents = try await runCommand("/usr/bin/dpkg-deb", ["--contents", deb])
        for path in ["./usr/bin/coid", "./usr/bin/coictl", "./lib/systemd/system/coid.service", "./lib/systemd/system/coid.socket",
                     "./lib/systemd/system/coid-backup.timer", "./usr/lib/sysusers.d/coid.conf", "./usr/lib/tmpfiles.d/coid.conf",
                     "./etc/coid/coid.toml", "./usr/share/man/man8/coid.8.gz", "./usr/share/man/man1/coictl.1.gz",
                     "./usr/share/bash-completion/completions/coictl", "./usr/share/zsh/vendor-completions/_coictl",
                     "./usr/share/fish/vendor_completions.d/coictl.fish", "./usr/share/doc/coid/operations.md",
                     "./usr/share/doc/coid/copyright", "./usr/share/doc/coid/changelog.gz", "./usr/share/doc/coid/examples/tls.conf"] {
            #expect(contents.stdout.contains(" \(path)\n"), "\(path) is not in the package")
        }

        let control = out.appendingPathComponent("control").path
        let extract = try await runCommand("/usr/bin/dpkg-deb", ["--control", deb, control])
        #expect(extract.status == 0)
        let conffiles = try String(contentsOfFile: control + "/conffiles", encoding: .utf8)
        #expect(conffiles == "/etc/coid/coid.toml\n")
        let postinst = try String(contentsOfFile: control + "/postinst", encoding: .utf8)
        #expect(postinst.contains("deb-systemd-helper enable 'coid.socket'") && postinst.contains("systemd-sysusers coid.conf"))
        #expect(!postinst.contains("deb-systemd-helper enable 'coid.service'") && !postinst.contains("invoke start"))

        // The packaged binaries need no Swift library and name no toolchain path.
        let tree = out.appendingPathComponent("tree").path
        #expect(try await runCommand("/usr/bin/dpkg-deb", ["--extract", deb, tree]).status == 0)
        for binary in ["coid", "coictl"] {
            let dynamic = try await runCommand("/usr/bin/readelf", ["-d", "\(tree)/usr/bin/\(binary)"])
            #expect(!dynamic.stdout.contains("libswift") && !dynamic.stdout.contains("PATH"), "\(binary): \(dynamic.stdout)")
            let version = try await runCommand("\(tree)/usr/bin/\(binary)", ["--version"])
            #expect(version.status == 0 && version.stdout.contains("0."), "\(binary) --version: \(version.stderr)")
        }
        // The unit's Documentation= names a file the package installs.
        let unit = try String(contentsOfFile: "\(tree)/lib/systemd/system/coid.service", encoding: .utf8)
        #expect(unit.contains("Documentation=file:/usr/share/doc/coid/operations.md"))
        #expect(FileManager.default.fileExists(atPath: "\(tree)/usr/share/doc/coid/operations.md"))

        let lintian = try await runCommand("/usr/bin/lintian", ["--fail-on", "error", deb])
        #expect(lintian.status == 0, "lintian: \(lintian.stdout) \(lintian.stderr)")
        #expect(!lintian.stdout.contains("\nE: ") && !lintian.stdout.hasPrefix("E: "), "\(lintian.stdout)")
    }
}
