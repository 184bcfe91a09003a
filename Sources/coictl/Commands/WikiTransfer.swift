import ArgumentParser
import COIProto
import COIWire
import Foundation

struct WikiExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export a page with its full history into a directory.",
        discussion: """
            Writes DIR/page.json (the page's metadata and every revision's metadata, oldest first) and \
            DIR/revisions/NNNNNN.md (each revision's Markdown). `wiki import DIR` reads the same.
            """)
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The page's title.") var title: String
    @Option(help: ArgumentHelp("The directory to create.", valueName: "dir")) var out: String
    @Flag(help: "Write into a directory that is not empty (its page.json and revisions/ are replaced).") var force = false

    func run() async throws {
        let files = FileManager.default
        let directory = URL(fileURLWithPath: out).standardizedFileURL
        // An earlier export's extra revision files would otherwise be read back by `wiki import`
        // as part of this page's history.
        let present = (try? files.contentsOfDirectory(atPath: directory.path)) ?? []
        if !present.isEmpty && !force {
            Output.failure(code: "ALREADY_EXISTS", message: "\(out) is not empty; pass --force to replace its page.json and revisions/")
            throw ExitCode(1)
        }
        // Written beside the target first, and moved into place only when complete: a page that
        // does not exist, or a stream cut short, leaves no directory behind and an earlier export
        // untouched.
        let parent = directory.deletingLastPathComponent()
        let created = Self.firstMissing(parent)
        try files.createDirectory(at: parent, withIntermediateDirectories: true)
        let staging = parent.appendingPathComponent(".\(directory.lastPathComponent).partial-\(ProcessInfo.processInfo.processIdentifier)")
        try? files.removeItem(at: staging)
        let revisionsDirectory = staging.appendingPathComponent("revisions")
        var header: [String: Any] = [:]
        var revisions: [Any] = []
        do {
            try files.createDirectory(at: revisionsDirectory, withIntermediateDirectories: true)
            try await Session.with(options) { session in
                try await session.serverStream(Coi_Wiki_V1_Pages.Method.export, .with { $0.title = title }) { chunk in
                    let metadata = try JSONSerialization.jsonObject(with: Data(chunk.metadataJson.utf8))
                    if header.isEmpty {
                        header = metadata as? [String: Any] ?? [:]
                        return
                    }
                    let file = String(format: "%06d.md", revisions.count + 1)
                    try Data(chunk.markdown.utf8).write(to: revisionsDirectory.appendingPathComponent(file))
                    var entry = metadata as? [String: Any] ?? [:]
                    entry["file"] = "revisions/\(file)"
                    revisions.append(entry)
                }
            }
            header["revision_list"] = revisions
            let data = try JSONSerialization.data(withJSONObject: header, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: staging.appendingPathComponent("page.json"))
            try files.createDirectory(at: directory, withIntermediateDirectories: true)
            for name in ["revisions", "page.json"] {
                let target = directory.appendingPathComponent(name)
                try? files.removeItem(at: target)
                try files.moveItem(at: staging.appendingPathComponent(name), to: target)
            }
            try? files.removeItem(at: staging)
        } catch {
            try? files.removeItem(at: staging)
            if let created { try? files.removeItem(at: created) }
            throw error
        }
        let exported = header["title"] as? String ?? title
        if options.json {
            Output.json(["title": exported, "revisions": revisions.count, "directory": out] as [String: Any])
        } else {
            Output.line("exported \(revisions.count) revision\(revisions.count == 1 ? "" : "s") of \(exported) to \(out)")
        }
    }

    /// The outermost directory of `url`'s path that does not exist yet, if any: what an export
    /// that fails must remove again.
    static func firstMissing(_ url: URL) -> URL? {
        var missing: URL?
        var current = url
        while !FileManager.default.fileExists(atPath: current.path) {
            missing = current
            let up = current.deletingLastPathComponent()
            if up.path == current.path { break }
            current = up
        }
        return missing
    }
}

struct WikiImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import a page with its full history from a `wiki export` directory (admins).",
        discussion: "Authors must have accounts here. The page must not exist; --title imports under another title.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The export directory.") var directory: String
    @Option(help: "Import under this title instead of the exported one.") var title = ""

    func run() async throws {
        let root = URL(fileURLWithPath: directory)
        guard let data = FileManager.default.contents(atPath: root.appendingPathComponent("page.json").path),
              var header = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let revisions = header["revision_list"] as? [[String: Any]] else {
            throw ValidationError("\(directory)/page.json is missing or not a wiki export")
        }
        header["revision_list"] = nil
        var chunks = [try Coi_Wiki_V1_ExportChunk.with {
            $0.metadataJson = String(decoding: try JSONSerialization.data(withJSONObject: header), as: UTF8.self)
            $0.title = title
        }]
        for var revision in revisions {
            guard let file = revision["file"] as? String,
                  let markdown = FileManager.default.contents(atPath: root.appendingPathComponent(file).path) else {
                throw ValidationError("a revision's Markdown file is missing in \(directory)")
            }
            revision["file"] = nil
            chunks.append(try .with {
                $0.metadataJson = String(decoding: try JSONSerialization.data(withJSONObject: revision), as: UTF8.self)
                $0.markdown = String(decoding: markdown, as: UTF8.self)
            })
        }
        let page = try await Session.with(options) { session in
            do {
                let stream = try session.connection.stream(Coi_Wiki_V1_Pages.Method.import, metadata: options.metadata,
                                                           timeout: options.deadline)
                for (index, chunk) in chunks.enumerated() {
                    try await stream.send(chunk, end: index == chunks.count - 1)
                }
                var page = Coi_Wiki_V1_Page()
                for try await reply in stream.replies { page = reply }
                return page
            } catch let error as RPCError {
                throw session.fail(error)
            }
        }
        options.json ? Output.show(page, options) : Output.line("imported \(revisions.count) revision\(revisions.count == 1 ? "" : "s") as \(page.title)")
    }
}
