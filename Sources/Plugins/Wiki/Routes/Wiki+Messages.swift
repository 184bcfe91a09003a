import COIPluginKit
import COIProto
import COIWire
import Foundation
import GRDB
import SwiftProtobuf

extension Wiki {
    /// A page as sent: the shown revision's text and what the wiki reads out of it.
    static func pageMessage(_ db: Database, page: PageRecord, revision: RevisionRecord,
                            redirectedFrom: String = "") -> Coi_Wiki_V1_Page {
        let markup = WikiMarkup(parsing: revision.text)
        return .with {
            $0.id = page.id
            $0.title = page.title.full
            $0.namespace = namespace(page.title.namespace)
            $0.text = revision.text
            $0.revision = revision.message
            $0.latestRevisionID = revision.seq == page.latestRev ? revision.id : latestID(db, page)
            $0.protection = protection(page.protection)
            $0.deleted = page.deleted
            $0.redirectTarget = markup.redirect?.full ?? ""
            $0.redirectedFrom = redirectedFrom
            $0.categories = markup.categories
            $0.links = markup.links.map(\.full)
            if let fields = revision.fields { $0.caseFields = fields }
            $0.createdAt = page.createdAt
            $0.updatedAt = page.updatedAt
        }
    }

    /// The id of a page's latest revision ("" if it cannot be read, which a valid database never does).
    static func latestID(_ db: Database, _ page: PageRecord) -> String {
        let id = try? String.fetchOne(db, sql: "SELECT id FROM wiki_revisions WHERE seq = ?", arguments: [page.latestRev])
        return (id ?? nil) ?? ""
    }

    static func namespace(_ namespace: PageTitle.Namespace) -> Coi_Wiki_V1_Namespace {
        switch namespace {
        case .main: .main
        case .talk: .talk
        case .case: .case
        }
    }

    static func namespace(_ text: String) -> Coi_Wiki_V1_Namespace {
        namespace(PageTitle.Namespace(rawValue: text) ?? .main)
    }

    /// A namespace filter: nil for every namespace.
    static func namespaceFilter(_ namespace: Coi_Wiki_V1_Namespace, field: String = "namespace") throws -> String? {
        switch namespace {
        case .unspecified: nil
        case .main: "main"
        case .talk: "talk"
        case .case: "case"
        case .UNRECOGNIZED(let value): throw RPCError.invalidField(field, "unknown namespace \(value)")
        }
    }

    static func protection(_ text: String) -> Coi_Wiki_V1_Protection {
        switch text {
        case "moderated": .moderated
        case "admin": .adminOnly
        default: .open
        }
    }

    /// The lost-update refusal: ABORTED with one field violation per conflicting hunk, its
    /// description the hunk as protobuf JSON, so clients can show exactly what clashed.
    static func conflictError(title: String, baseID: String, latestID: String, hunks: [Coi_Wiki_V1_ConflictHunk],
                              what: String = "save") -> RPCError {
        var message = "\(what) conflicts with changes made to \"\(title)\" since \(baseID) (latest is \(latestID)): "
            + "\(hunks.count) conflicting \(hunks.count == 1 ? "hunk" : "hunks"); nothing was saved — merge them and save again "
            + "with base_revision_id \(latestID)"
        for hunk in hunks.prefix(5) {
            if hunk.field.isEmpty {
                message += "\n@@ base line \(hunk.baseStart) @@\n" + hunk.baseLines.map { "  base : \($0)" }.joined(separator: "\n")
            } else {
                message += "\n@@ \(hunk.field) @@\n" + hunk.baseLines.map { "  base : \($0)" }.joined(separator: "\n")
            }
            message += "\n" + hunk.yourLines.map { "  yours: \($0)" }.joined(separator: "\n")
            message += "\n" + hunk.theirLines.map { "  their: \($0)" }.joined(separator: "\n")
        }
        let violations = hunks.map { hunk in
            RPCError.FieldViolation(field: hunk.field.isEmpty ? "text" : hunk.field,
                                    description: (try? hunk.jsonString()) ?? "")
        }
        return RPCError(.aborted, message, reason: "EDIT_CONFLICT", fieldViolations: violations)
    }

    /// Three-way merges text and case fields; throws the conflict error when they clash.
    /// - Returns: The merged text and fields.
    static func threeWay(title: String, baseID: String, head: RevisionRecord,
                         base: (text: String, fields: Coi_Wiki_V1_CaseFields?),
                         ours: (text: String, fields: Coi_Wiki_V1_CaseFields?),
                         what: String = "save") throws -> (text: String, fields: Coi_Wiki_V1_CaseFields?) {
        var hunks: [Coi_Wiki_V1_ConflictHunk] = []
        var text = head.text
        switch ThreeWayMerge.merge(base: TextDiff.lines(base.text), ours: TextDiff.lines(ours.text), theirs: TextDiff.lines(head.text)) {
        case .merged(let lines):
            text = lines.joined(separator: "\n")
        case .conflicts(let conflicts):
            hunks = conflicts.map { conflict in
                .with {
                    $0.baseStart = Int32(conflict.baseStart + 1)
                    $0.baseLines = conflict.base
                    $0.yourLines = conflict.ours
                    $0.theirLines = conflict.theirs
                }
            }
        }
        var fields = head.fields
        if let theirs = head.fields, let ourFields = ours.fields {
            let (merged, fieldHunks) = CaseRules.merge(base: base.fields ?? theirs, ours: ourFields, theirs: theirs)
            fields = merged
            hunks += fieldHunks
        }
        if !hunks.isEmpty {
            throw conflictError(title: title, baseID: baseID, latestID: head.id, hunks: hunks, what: what)
        }
        return (text, fields)
    }

    /// Protobuf JSON of case fields, or "" for none.
    static func fieldsJSON(_ fields: Coi_Wiki_V1_CaseFields?) throws -> String {
        try fields?.jsonString() ?? ""
    }

    /// A reply for a change that made a revision.
    static func saveReply(_ db: Database, page: PageRecord, revision: RevisionRecord, merged: Bool = false,
                          mergedWith: [String] = []) -> Coi_Wiki_V1_SaveReply {
        .with {
            $0.page = pageMessage(db, page: page, revision: revision)
            $0.revision = revision.message
            $0.merged = merged
            $0.mergedWith = mergedWith
        }
    }

    /// A summary (or reason) as given, or the default, checked for length and for being one line.
    static func summary(_ given: String, default fallback: String, field: String = "summary") throws -> String {
        let trimmed = try TextRules.line(given.trimmingCharacters(in: .whitespacesAndNewlines), field: field)
        guard trimmed.count <= 500 else { throw RPCError.invalidField(field, "must be at most 500 characters") }
        // Generated summaries refer to people as {{account:…}} and are rendered with current names;
        // typed text may not, or it could show any account's name (and look generated).
        guard !AccountNames.containsReference(trimmed) else {
            throw RPCError.invalidField(field, "must not contain \"{{account:\", which coid reserves for the summaries it writes")
        }
        return trimmed.isEmpty ? fallback : trimmed
    }
}
