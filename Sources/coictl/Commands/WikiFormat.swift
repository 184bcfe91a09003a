import ArgumentParser
import COIProto
import COIWire
import Foundation
import SwiftProtobuf

/// How the wiki commands print: protobuf JSON with the proto's field names for --json, plain
/// text for people.
enum WikiFormat {
    static func object(_ message: any SwiftProtobuf.Message) -> Any {
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        options.alwaysPrintInt64sAsNumbers = true
        guard let text = try? message.jsonString(options: options),
              let value = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else { return [String: Any]() }
        return value
    }

    static func printJSON(_ message: any SwiftProtobuf.Message) { Output.json(object(message)) }

    static func printJSON(_ messages: [any SwiftProtobuf.Message]) { Output.json(messages.map(object)) }

    static func cell(_ text: String) -> String { text.isEmpty ? "-" : text }

    static func tags(_ tags: [String]) -> String { tags.isEmpty ? "-" : tags.joined(separator: ",") }

    static func revisionRows(_ revisions: [Coi_Wiki_V1_Revision]) {
        Output.table(["REVISION", "TIME", "AUTHOR", "SIZE", "TAGS", "SUMMARY"], revisions.map {
            [$0.id, $0.createdAt, $0.authorName, "\($0.size)\($0.minor ? " m" : "")", tags($0.tags), cell($0.summary)]
        })
    }

    static func pageRefs(_ pages: [Coi_Wiki_V1_PageRef], _ options: GlobalOptions) {
        if options.json {
            printJSON(pages)
        } else {
            for page in pages { print(page.title) }
        }
    }

    /// Prints a save's outcome: the revision id on stdout, a merge or no-op note on stderr.
    static func saved(_ reply: Coi_Wiki_V1_SaveReply, _ options: GlobalOptions) {
        if options.json {
            printJSON(reply)
            return
        }
        print(reply.revision.id)
        if reply.unchanged { Output.error("no change: the text equals the latest revision \(reply.revision.id)") }
        if reply.merged { Output.error("merged cleanly with \(reply.mergedWith.joined(separator: ", ")) made since your base revision") }
    }

    /// Prints an edit conflict's hunks readably and returns the exit to throw; other errors as usual.
    static func fail(_ error: RPCError) -> ExitCode {
        guard error.reason == "EDIT_CONFLICT" else { return Session.fail(error) }
        Output.error("ABORTED: \(error.message.split(separator: "\n").first ?? "")")
        for violation in error.fieldViolations {
            guard let hunk = try? Coi_Wiki_V1_ConflictHunk(jsonString: violation.description) else { continue }
            let place = hunk.field.isEmpty ? "line \(hunk.baseStart)" : hunk.field
            var lines = ["<<<<<<< yours (\(place))"] + hunk.yourLines
            lines += ["||||||| base"] + hunk.baseLines + ["======="] + hunk.theirLines + [">>>>>>> latest"]
            FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
        return ExitCode(1)
    }

    static func namespace(_ text: String?) throws -> Coi_Wiki_V1_Namespace {
        switch text?.lowercased() {
        case nil, "": .unspecified
        case "main": .main
        case "talk": .talk
        case "case": .case
        default: throw ValidationError("--namespace must be main, talk or case")
        }
    }
}
