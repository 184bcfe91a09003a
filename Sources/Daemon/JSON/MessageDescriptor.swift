/// A message type: its fields, indexed by number and by JSON key.
public struct MessageDescriptor: Sendable, Equatable {
    /// The fully-qualified name, e.g. `coi.core.v1.EchoRequest`.
    public let fullName: String
    /// The fields in declaration order.
    public let fields: [FieldDescriptor]
    /// The names of the message's real oneofs (not the synthetic ones of proto3 `optional`), by index.
    public let oneofNames: [String]
    /// Whether this is the synthesized entry type of a `map<K, V>` field.
    public let isMapEntry: Bool

    private let byNumber: [Int32: Int]
    private let byKey: [String: Int]

    init(fullName: String, fields: [FieldDescriptor], oneofNames: [String] = [], isMapEntry: Bool = false) {
        self.fullName = fullName
        self.fields = fields
        self.oneofNames = oneofNames
        self.isMapEntry = isMapEntry
        var byNumber: [Int32: Int] = [:]
        var byKey: [String: Int] = [:]
        for (index, field) in fields.enumerated() {
            byNumber[field.number] = byNumber[field.number] ?? index
            byKey[field.jsonName] = byKey[field.jsonName] ?? index
        }
        // Original names are accepted too, but never shadow a JSON name.
        for (index, field) in fields.enumerated() where byKey[field.name] == nil {
            byKey[field.name] = index
        }
        self.byNumber = byNumber
        self.byKey = byKey
    }

    /// The field with a number.
    /// - Parameter number: A field number.
    /// - Returns: The field, or nil when the message has none with that number.
    public func field(number: Int32) -> FieldDescriptor? {
        byNumber[number].map { fields[$0] }
    }

    /// The field a JSON object key names: its JSON name (`uptimeSeconds`) or its original name (`uptime_seconds`).
    /// - Parameter key: A key of a JSON object.
    /// - Returns: The field, or nil when no field has that name.
    public func field(jsonKey key: String) -> FieldDescriptor? {
        byKey[key].map { fields[$0] }
    }
}
