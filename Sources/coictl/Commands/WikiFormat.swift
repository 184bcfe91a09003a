import ArgumentParser
import COIProto
import COIWire
import Foundation

/// How the wiki commands print for people (--json goes through `Output` like everything else).
enum WikiFormat {
    static func cell(_ text: String) -> String { text.isEmpty ? "-" : text }

    static func tags(_ tags: [String]) -> String { tags.isEmpty ? "-" : tags.joined(separator: ",") }

    static func revisionRows(_ revisions: [Coi_Wiki_V1_Revision]) {
        // Case pages: which case fields a revision changed, so a field-only edit is visible here too.
        let fields = revisions.contains { !$0.changedFields.isEmpty }
        Output.table(["REVISION", "TIME", "AUTHOR", "SIZE", "TAGS"] + (fields ? ["FIELDS"] : []) + ["SUMMARY"], revisions.map {
            [$0.id, $0.createdAt, $0.authorName, "\($0.size)\($0.minor ? " m" : "")", tags($0.tags)]
                + (fields ? [$0.changedFields.isEmpty ? "-" : $0.changedFields.joined(separator: ",")] : []) + [cell($0.summary)]
        })
    }

    /// A case field's value as diff lines, each marked.
    static func fieldLines(_ value: String, mark: String) -> String {
        value.split(separator: "\n", omittingEmptySubsequences: false).map { mark + $0 }.joined(separator: "\n")
    }

    /// A case page's fields on stderr before its text (stdout stays the text, for pipes).
    static func caseFields(_ fields: Coi_Wiki_V1_CaseFields) {
        let level = switch fields.level {
        case .state: "state"
        case .region: "region"
        case .municipality: "municipality"
        default: "-"
        }
        var rows = [["level", level]]
        if fields.municipalityCode != 0 { rows.append(["municipality", "\(fields.municipalityCode)"]) }
        if fields.regionCode != 0 { rows.append(["region", "\(fields.regionCode)"]) }
        rows += [["sector", fields.sector], ["effect", fields.effect], ["process", fields.process], ["conditions", fields.conditions],
                 ["documentation", fields.documentation], ["contact", fields.contact]].filter { !$0[1].isEmpty }
        for row in rows { Output.errorText(Output.escapeControls("\(row[0]): \(row[1])") + "\n") }
    }

    static func pageRefs(_ pages: [Coi_Wiki_V1_PageRef]) {
        for page in pages { Output.line(Output.escapeControls(page.title)) }
    }

    /// Prints a save's outcome: the revision id on stdout, a merge or no-op note on stderr.
    static func saved(_ reply: Coi_Wiki_V1_SaveReply, _ options: GlobalOptions) {
        if options.json { return Output.show(reply, options) }
        Output.line(reply.revision.id)
        if reply.unchanged { Output.error("no change: the text equals the latest revision \(reply.revision.id)") }
        if reply.merged { Output.error("merged cleanly with \(reply.mergedWith.joined(separator: ", ")) made since your base revision") }
    }

    /// Prints an edit conflict's hunks as conflict markers on stderr.
    static func printConflict(_ error: RPCError) {
        Output.error("ABORTED: \(error.message.split(separator: "\n").first ?? "")")
        for violation in error.fieldViolations {
            guard let hunk = try? Coi_Wiki_V1_ConflictHunk(jsonString: violation.description) else { continue }
            let place = hunk.field.isEmpty ? "line \(hunk.baseStart)" : hunk.field
            var lines = ["<<<<<<< yours (\(place))"] + hunk.yourLines
            lines += ["||||||| base"] + hunk.baseLines + ["======="] + hunk.theirLines + [">>>>>>> latest"]
            Output.errorText(lines.joined(separator: "\n") + "\n")
        }
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
