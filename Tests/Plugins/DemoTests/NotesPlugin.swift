import COIPluginKit
import COIRPC
import Foundation
import GRDB

/// A test-only plugin: one table, one write and one stream, its own protos (`Protos/`, generated
/// into `Generated/` with their own descriptor set), its own permission and role. It exists to show
/// that a plugin needs nothing outside its folder but its target in Package.swift and an entry in a
/// plugin list (here the tests' own list; a product plugin's is `BuiltInPlugins.all`).
struct NotesPlugin: Plugin {
    var id: String { "coi.demo" }
    var services: [RPCService] { [Coi_Demo_V1_Notes.service] }
    var permissions: [PermissionDeclaration] {
        [PermissionDeclaration("demo.write", "Add notes")]
    }
    var roles: [RoleDeclaration] { [RoleDeclaration("writer", "Adds notes", permissions: ["demo.write"])] }
    var migrations: [Migration] {
        [.sql("1_notes", "CREATE TABLE demo_notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL, author_id TEXT NOT NULL)")]
    }
    var descriptorSet: [UInt8] { Array(Data(base64Encoded: testDescriptorSetBase64) ?? Data()) }

    func start(context: PluginContext, router: inout Router) async throws {
        let store = context.store
        router.unary(Coi_Demo_V1_Notes.Method.add, .write("demo.write")) { request, call in
            let author = try call.requireAccount()
            let text = try TextRules.line(request.text, field: "text")
            call.audit.target = "demo_note"
            return try await store.pool.write { db in
                try db.execute(sql: "INSERT INTO demo_notes (text, author_id) VALUES (?, ?)", arguments: [text, author.id])
                return Coi_Demo_V1_Note.with {
                    $0.id = db.lastInsertedRowID
                    $0.text = text
                    $0.authorID = author.id
                }
            }
        }
        router.serverStreaming(Coi_Demo_V1_Notes.Method.list, .authenticated) { _, _, writer in
            let notes = try await store.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT id, text, author_id FROM demo_notes ORDER BY id").map { row in
                    Coi_Demo_V1_Note.with {
                        $0.id = row["id"]
                        $0.text = row["text"]
                        $0.authorID = row["author_id"]
                    }
                }
            }
            for note in notes { try await writer.send(note) }
        }
    }
}
