import COIProto
import COIJSON
import COIWire
import Foundation
import SwiftProtobuf
import Testing

/// The descriptor-driven codec against the generated types (whose own JSON is the reference) and a
/// hand-built descriptor with every field shape.
@Suite struct DynamicJSONTests {
    static let pool: DescriptorPool = {
        let set = Data(base64Encoded: coiDescriptorSetBase64)!
        let api = try! Google_Protobuf_FileDescriptorSet(serializedBytes: set).file
        return DescriptorPool(files: api + [everythingFile])
    }()

    let encoder = DynamicJSONEncoder(pool: Self.pool)
    let decoder = DynamicJSONDecoder(pool: Self.pool)

    /// JSON text with sorted keys, to compare values whatever their Foundation types.
    func canonical(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes]),
               as: UTF8.self)
    }

    func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    /// The dynamic decoder's JSON of a generated message equals SwiftProtobuf's own JSON of it.
    func expectDecodesLikeSwiftProtobuf(_ message: some SwiftProtobuf.Message, _ type: String) throws {
        let dynamic = try decoder.decode(try message.serializedBytes(), as: type)
        #expect(try canonical(dynamic) == canonical(try json(try message.jsonString())))
    }

    func encodingError(_ json: Any, as type: String) -> DynamicJSONError? {
        do {
            _ = try encoder.encode(json, as: type)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - The API's own types

    @Test func poolIndexesServicesMessagesAndEnums() throws {
        let echoStream = try #require(Self.pool.service(named: "coi.core.v1.Diagnostics")?.method(named: "EchoStream"))
        #expect(echoStream.inputType == "coi.core.v1.EchoRequest" && echoStream.serverStreaming && !echoStream.clientStreaming)
        let uptime = try #require(Self.pool.message(named: ".coi.core.v1.ServerReply")?.field(jsonKey: "uptime_seconds"))
        #expect(uptime.jsonName == "uptimeSeconds" && uptime.number == 2 && uptime.kind == .int64)
        #expect(Self.pool.enumType(named: "grpc.health.v1.HealthCheckResponse.ServingStatus")?.number(named: "SERVING") == 1)
        #expect(Self.pool.serviceNames.contains("coi.core.v1.Reflection"))
    }

    @Test func encodesInt64FieldsFromNumbersOrStrings() throws {
        let bytes = try encoder.encode(try json(#"""
            {"version": "0.1.0", "uptimeSeconds": "9007199254740993", "pid": 4242, "listeners": ["unix:/run/coid/coid.sock"],
             "database_path": "/var/lib/coid/coid.db", "openConnections": 0}
            """#), as: "coi.core.v1.ServerReply")
        let expected = Coi_Core_V1_ServerReply.with {
            $0.version = "0.1.0"
            $0.uptimeSeconds = 9_007_199_254_740_993
            $0.pid = 4242
            $0.listeners = ["unix:/run/coid/coid.sock"]
            $0.databasePath = "/var/lib/coid/coid.db"
        }
        #expect(try Coi_Core_V1_ServerReply(serializedBytes: bytes) == expected)
        // Fields in number order, defaults left out: byte for byte what the generated code writes.
        #expect(bytes == (try expected.serializedBytes() as [UInt8]))
    }

    @Test func decodesInt64FieldsAsStrings() throws {
        let reply = Coi_Core_V1_ServerReply.with {
            $0.version = "0.1.0"
            $0.uptimeSeconds = 86_400
            $0.pid = -7
            $0.listeners = ["unix:/a", "tcp:127.0.0.1:7070"]
            $0.startedAt = "2025-01-01T00:00:00Z"
        }
        let object = try #require(try decoder.decode(try reply.serializedBytes(), as: "coi.core.v1.ServerReply") as? [String: Any])
        #expect(object["uptimeSeconds"] as? String == "86400")
        #expect(object["pid"] as? String == "-7")
        #expect(object["openConnections"] == nil, "defaults are left out")
        try expectDecodesLikeSwiftProtobuf(reply, "coi.core.v1.ServerReply")
    }

    @Test func nestedRepeatedMessagesRoundTrip() throws {
        let reply = Coi_Core_V1_ListServicesReply.with {
            $0.services = [
                .with {
                    $0.name = "coi.core.v1.Diagnostics"
                    $0.file = "coi/core/v1/diagnostics.proto"
                    $0.methods = [
                        .with { $0.name = "Echo"; $0.inputType = "coi.core.v1.EchoRequest"; $0.outputType = "coi.core.v1.EchoReply" },
                        .with { $0.name = "EchoChat"; $0.clientStreaming = true; $0.serverStreaming = true },
                    ]
                },
                .with { $0.name = "grpc.health.v1.Health" },
            ]
        }
        try expectDecodesLikeSwiftProtobuf(reply, "coi.core.v1.ListServicesReply")
        let dynamic = try decoder.decode(try reply.serializedBytes(), as: "coi.core.v1.ListServicesReply")
        let bytes = try encoder.encode(dynamic, as: "coi.core.v1.ListServicesReply")
        #expect(try Coi_Core_V1_ListServicesReply(serializedBytes: bytes) == reply)
        // And from SwiftProtobuf's JSON, which the dynamic encoder must accept as is.
        let fromGeneratedJSON = try encoder.encode(try json(try reply.jsonString()), as: "coi.core.v1.ListServicesReply")
        #expect(try Coi_Core_V1_ListServicesReply(serializedBytes: fromGeneratedJSON) == reply)
    }

    @Test func enumsByNameOrNumber() throws {
        let type = "grpc.health.v1.HealthCheckResponse"
        #expect(try Grpc_Health_V1_HealthCheckResponse(serializedBytes: try encoder.encode(["status": "SERVING"], as: type)).status == .serving)
        #expect(try Grpc_Health_V1_HealthCheckResponse(serializedBytes: try encoder.encode(try json(#"{"status":2}"#), as: type)).status == .notServing)
        let unknown = Grpc_Health_V1_HealthCheckResponse.with { $0.status = .serviceUnknown }
        #expect(try canonical(try decoder.decode(try unknown.serializedBytes(), as: type)) == #"{"status":"SERVICE_UNKNOWN"}"#)
        // The zero value is the default: left out.
        #expect(try canonical(try decoder.decode(try Grpc_Health_V1_HealthCheckResponse().serializedBytes(), as: type)) == "{}")
        // A number the enum does not declare prints as the number.
        let undeclared = Grpc_Health_V1_HealthCheckResponse.with { $0.status = .UNRECOGNIZED(9) }
        #expect(try canonical(try decoder.decode(try undeclared.serializedBytes(), as: type)) == #"{"status":9}"#)
        try expectDecodesLikeSwiftProtobuf(Grpc_Health_V1_HealthCheckResponse.with { $0.status = .serving }, type)

        let bad = try #require(encodingError(["status": "SERVNG"], as: type))
        #expect(bad.kind == .badValue && bad.path == "status")
        #expect(bad.description.contains("\"SERVNG\"") && bad.description.contains("SERVING, NOT_SERVING"))
    }

    @Test func anyOfAKnownTypeRoundTrips() throws {
        let status = RPCError.invalidField("millis", "at most 600000").status
        let type = "ttrpc.Status"
        let object = try #require(try decoder.decode(try status.serializedBytes(), as: type) as? [String: Any])
        let detail = try #require((object["details"] as? [[String: Any]])?.first)
        #expect(detail["@type"] as? String == "type.googleapis.com/coi.core.v1.ErrorDetail")
        #expect(detail["reason"] as? String == "FIELD_INVALID")
        #expect((detail["fieldViolations"] as? [[String: Any]])?.first?["field"] as? String == "millis")
        // Byte for byte (an Any holding a message and one holding its bytes do not compare equal).
        #expect(try encoder.encode(object, as: type) == (try status.serializedBytes() as [UInt8]))

        let unknownAny = encodingError(["details": [["@type": "type.googleapis.com/coi.nope.v1.X"]]], as: type)
        #expect(unknownAny?.kind == .unsupported && unknownAny?.path == "details[0].@type")
    }

    // MARK: - Errors name the field

    @Test func unknownFieldIsNamed() throws {
        let top = try #require(encodingError(["message": "hej", "foo": 1], as: "coi.core.v1.EchoRequest"))
        #expect(top.kind == .unknownField && top.path == "foo")
        #expect(top.description == #"unknown field "foo" in coi.core.v1.EchoRequest"#)

        let nested = try #require(encodingError(try json(#"{"services":[{"name":"a"},{"name":"b","bogus":true}]}"#),
                                                as: "coi.core.v1.ListServicesReply"))
        #expect(nested.path == "services[1].bogus")
        #expect(nested.description.contains(#"unknown field "bogus" in coi.core.v1.ServiceInfo"#))
        #expect(nested.description.contains("services[1].bogus"))
    }

    @Test func wrongTypesAreNamedWithTheExpectedType() throws {
        let string = try #require(encodingError(["message": 5], as: "coi.core.v1.EchoRequest"))
        #expect(string.kind == .wrongType && string.path == "message")
        #expect(string.description == #"field "message": expected a string, got a number"#)

        let integer = try #require(encodingError(["repeat": true], as: "coi.core.v1.EchoRequest"))
        #expect(integer.kind == .wrongType && integer.description.contains("expected an integer (uint32), got a boolean"))

        let list = try #require(encodingError(try json(#"{"services":{"name":"a"}}"#), as: "coi.core.v1.ListServicesReply"))
        #expect(list.kind == .wrongType && list.path == "services" && list.description.contains("a list of coi.core.v1.ServiceInfo"))

        let nested = try #require(encodingError(try json(#"{"services":[{"methods":[{"clientStreaming":"yes"}]}]}"#),
                                                as: "coi.core.v1.ListServicesReply"))
        #expect(nested.path == "services[0].methods[0].clientStreaming" && nested.description.contains("true or false"))

        #expect(encodingError(["repeat": -1], as: "coi.core.v1.EchoRequest")?.description.contains("out of range for uint32") == true)
        #expect(encodingError(["repeat": 1.5], as: "coi.core.v1.EchoRequest")?.description.contains("not an integer") == true)
        #expect(encodingError(["repeat": "lots"], as: "coi.core.v1.EchoRequest")?.kind == .badValue)
        #expect(encodingError(["message": "x", "message_": "y"], as: "coi.core.v1.EchoRequest")?.kind == .unknownField)
        #expect(encodingError(["message": "x"], as: "coi.nope.v1.Missing")?.kind == .unknownType)
        #expect(encodingError("hej", as: "coi.core.v1.EchoRequest")?.kind == .wrongType)
    }

    @Test func syntaxErrorsAreTheirOwnKind() {
        #expect(throws: DynamicJSONError.self) { try encoder.encode(jsonText: Data(#"{"message": "#.utf8), as: "coi.core.v1.EchoRequest") }
        do {
            _ = try encoder.encode(jsonText: Data("{nope".utf8), as: "coi.core.v1.EchoRequest")
        } catch {
            #expect(error.kind == .syntax)
        }
    }

    @Test func malformedBinaryIsRefused() throws {
        let reply = try Coi_Core_V1_EchoReply.with { $0.message = "hej" }.serializedBytes() as [UInt8]
        #expect(throws: DynamicJSONError.self) { try decoder.decode(Array(reply.dropLast()), as: "coi.core.v1.EchoReply") }
        // A string field sent as a varint.
        #expect(throws: DynamicJSONError.self) { try decoder.decode([0x08, 0x01], as: "coi.core.v1.EchoReply") }
        // Unknown fields are skipped.
        #expect(try canonical(try decoder.decode(reply + [0xF8, 0x01, 0x05], as: "coi.core.v1.EchoReply")) == #"{"message":"hej"}"#)
    }

    // MARK: - Every field shape (a hand-built descriptor)

    static let everything = "test.v1.Everything"

    @Test func everyScalarRoundTripsToCanonicalJSON() throws {
        let input = try json(#"""
            {"d": 1.25, "f": 0.1, "i64": -9007199254740993, "u64": "18446744073709551615", "i32": -1, "f64": 5,
             "f32": 6, "b": true, "s": "Århus", "by": "_-8", "u32": 4294967295, "color": "RED", "sf32": -3,
             "sf64": "-4", "si32": -2, "si64": "-9223372036854775808", "names": ["a", "b"],
             "inners": [{"label": "x"}, {}], "text": "hej", "maybe": 0,
             "at": "2024-05-01T14:00:00.5+02:00", "took": "-1.5s", "meta": {"a": 1, "b": [true, null, "x"], "c": {"d": 2.5}},
             "mask": "displayName,address.postalCode", "wrapped": 0, "flat": {"packed": 1}}
            """#)
        let expected = #"""
            {"at":"2024-05-01T12:00:00.500Z","b":true,"by":"/+8=","color":"RED","d":1.25,"f":0.1,"f32":6,"f64":"5","flat":{"packed":1},\#
            "i32":-1,"i64":"-9007199254740993","inners":[{"label":"x"},{}],"mask":"displayName,address.postalCode",\#
            "maybe":0,"meta":{"a":1,"b":[true,null,"x"],"c":{"d":2.5}},"names":["a","b"],"s":"Århus","sf32":-3,\#
            "sf64":"-4","si32":-2,"si64":"-9223372036854775808","text":"hej","took":"-1.500s","u32":4294967295,\#
            "u64":"18446744073709551615","wrapped":0}
            """#
        let bytes = try encoder.encode(input, as: Self.everything)
        #expect(try canonical(try decoder.decode(bytes, as: Self.everything)) == expected)
    }

    @Test func proto3DefaultsAreLeftOutButPresenceIsKept() throws {
        #expect(try encoder.encode(["i32": 0, "s": "", "b": false, "color": "COLOR_UNSPECIFIED", "names": [String]()], as: Self.everything) == [])
        // `optional` and oneof members are written even at zero, and printed back.
        let bytes = try encoder.encode(["maybe": 0, "text": ""], as: Self.everything)
        #expect(!bytes.isEmpty)
        #expect(try canonical(try decoder.decode(bytes, as: Self.everything)) == #"{"maybe":0,"text":""}"#)
        // null leaves a field unset.
        #expect(try encoder.encode(try json(#"{"s": null, "inners": null}"#), as: Self.everything) == [])
    }

    @Test func packedScalarsAreWrittenPackedAndReadEitherWay() throws {
        // Field 20, wire type 2: tag 0xA2 0x01, length 4, then 1, 2, 300.
        #expect(try encoder.encode(["packedInts": [1, 2, 300]], as: Self.everything) == [0xA2, 0x01, 0x04, 0x01, 0x02, 0xAC, 0x02])
        // Unpacked (wire type 0, one tag per element), then a packed run: all elements, in order.
        let mixed: [UInt8] = [0xA0, 0x01, 0x07, 0xA0, 0x01, 0x08, 0xA2, 0x01, 0x01, 0x09]
        #expect(try canonical(try decoder.decode(mixed, as: Self.everything)) == #"{"packedInts":[7,8,9]}"#)
    }

    @Test func mapsRoundTripWithTypedKeys() throws {
        let input = try json(#"{"counts": {"b": 2, "a": 0}, "byId": {"7": {"label": "x"}, "-1": {}}, "flags": {"true": "yes"}}"#)
        let bytes = try encoder.encode(input, as: Self.everything)
        #expect(try canonical(try decoder.decode(bytes, as: Self.everything))
            == #"{"byId":{"-1":{},"7":{"label":"x"}},"counts":{"a":0,"b":2},"flags":{"true":"yes"}}"#)
        let badKey = try #require(encodingError(["byId": ["x": [:] as [String: Any]]], as: Self.everything))
        #expect(badKey.path == #"byId["x"]"# && badKey.description.contains("not an integer"))
        let badValue = try #require(encodingError(["counts": ["a": "many"]], as: Self.everything))
        #expect(badValue.path == #"counts["a"]"#)
    }

    @Test func oneofMembersExcludeEachOther() throws {
        let both = try #require(encodingError(["text": "a", "inner": ["label": "b"]], as: Self.everything))
        #expect(both.kind == .badValue && both.description.contains(#"oneof "choice""#))
        // On the wire the last member wins.
        var writer: [UInt8] = [0xCA, 0x01, 0x01, 0x61]            // text = "a" (field 25)
        writer += [0xD2, 0x01, 0x03, 0x0A, 0x01, 0x62]             // inner = {label: "b"} (field 26)
        #expect(try canonical(try decoder.decode(writer, as: Self.everything)) == #"{"inner":{"label":"b"}}"#)
    }

    @Test func wellKnownTypesMatchSwiftProtobuf() throws {
        let timestamp = Google_Protobuf_Timestamp(seconds: 1_714_564_800, nanos: 500_000_000)
        #expect(try Google_Protobuf_Timestamp(serializedBytes: try encoder.encode("2024-05-01T12:00:00.5Z", as: "google.protobuf.Timestamp")) == timestamp)
        for seconds: Int64 in [0, -1, 951_782_400, -62_135_596_800, 253_402_300_799] {
            for nanos: Int32 in [0, 1, 20_000_000, 999_999_000] {
                let value = Google_Protobuf_Timestamp(seconds: seconds, nanos: nanos)
                #expect(try canonical(try decoder.decode(try value.serializedBytes(), as: "google.protobuf.Timestamp")) == value.jsonString())
            }
        }
        for (seconds, nanos): (Int64, Int32) in [(0, 0), (1, 500_000_000), (-1, -500_000_000), (0, -1000), (315_576_000_000, 0)] {
            let value = Google_Protobuf_Duration(seconds: seconds, nanos: nanos)
            let text = try canonical(try decoder.decode(try value.serializedBytes(), as: "google.protobuf.Duration"))
            #expect(text == (try value.jsonString()))
            let back = try encoder.encode(try json(text), as: "google.protobuf.Duration")
            #expect(try Google_Protobuf_Duration(serializedBytes: back) == value)
        }
        let structure = try Google_Protobuf_Struct(jsonString: #"{"a":1,"b":[true,null,"x"],"c":{"d":2.5}}"#)
        #expect(try Google_Protobuf_Struct(serializedBytes: try encoder.encode(try json(#"{"a":1,"b":[true,null,"x"],"c":{"d":2.5}}"#),
                                                                                as: "google.protobuf.Struct")) == structure)
        #expect(try canonical(try decoder.decode(try structure.serializedBytes(), as: "google.protobuf.Struct"))
            == canonical(try json(try structure.jsonString())))

        let badTime = try #require(encodingError(["at": "1. maj 2024"], as: Self.everything))
        #expect(badTime.kind == .badValue && badTime.path == "at" && badTime.description.contains("RFC 3339"))
        #expect(encodingError(["took": 1.5], as: Self.everything)?.kind == .wrongType)
    }

    @Test func floatingPointSpecialsAreStrings() throws {
        let bytes = try encoder.encode(["d": "NaN", "f": "-Infinity"], as: Self.everything)
        #expect(try canonical(try decoder.decode(bytes, as: Self.everything)) == #"{"d":"NaN","f":"-Infinity"}"#)
        #expect(encodingError(["f": 1e300], as: Self.everything)?.description.contains("out of range for float") == true)
    }

    /// `test.v1.Everything`: every scalar type, lists, maps, a oneof, proto3 optional and well-known types.
    static let everythingFile: Google_Protobuf_FileDescriptorProto = {
        func field(_ name: String, _ number: Int32, _ type: Google_Protobuf_FieldDescriptorProto.TypeEnum,
                   repeated: Bool = false, typeName: String = "", oneof: Int32? = nil, optional: Bool = false) -> Google_Protobuf_FieldDescriptorProto {
            .with {
                $0.name = name
                $0.number = number
                $0.type = type
                $0.label = repeated ? .repeated : .optional
                if !typeName.isEmpty { $0.typeName = typeName }
                if let oneof { $0.oneofIndex = oneof }
                $0.proto3Optional = optional
            }
        }
        func mapEntry(_ name: String, key: Google_Protobuf_FieldDescriptorProto.TypeEnum,
                      value: Google_Protobuf_FieldDescriptorProto.TypeEnum, valueType: String = "") -> Google_Protobuf_DescriptorProto {
            .with {
                $0.name = name
                $0.field = [field("key", 1, key), field("value", 2, value, typeName: valueType)]
                $0.options.mapEntry = true
            }
        }
        let message = Google_Protobuf_DescriptorProto.with {
            $0.name = "Everything"
            $0.field = [
                field("d", 1, .double), field("f", 2, .float), field("i64", 3, .int64), field("u64", 4, .uint64),
                field("i32", 5, .int32), field("f64", 6, .fixed64), field("f32", 7, .fixed32), field("b", 8, .bool),
                field("s", 9, .string), field("by", 10, .bytes), field("u32", 11, .uint32),
                field("color", 12, .enum, typeName: ".test.v1.Everything.Color"), field("sf32", 13, .sfixed32),
                field("sf64", 14, .sfixed64), field("si32", 15, .sint32), field("si64", 16, .sint64),
                field("packed_ints", 20, .int32, repeated: true), field("names", 21, .string, repeated: true),
                field("inners", 22, .message, repeated: true, typeName: ".test.v1.Everything.Inner"),
                field("counts", 23, .message, repeated: true, typeName: ".test.v1.Everything.CountsEntry"),
                field("by_id", 24, .message, repeated: true, typeName: ".test.v1.Everything.ById"),
                field("text", 25, .string, oneof: 0), field("inner", 26, .message, typeName: ".test.v1.Everything.Inner", oneof: 0),
                field("maybe", 27, .int32, oneof: 1, optional: true),
                field("at", 28, .message, typeName: ".google.protobuf.Timestamp"),
                field("took", 29, .message, typeName: ".google.protobuf.Duration"),
                field("meta", 30, .message, typeName: ".google.protobuf.Struct"),
                field("mask", 31, .message, typeName: ".google.protobuf.FieldMask"),
                field("wrapped", 32, .message, typeName: ".google.protobuf.Int32Value"),
                field("flags", 33, .message, repeated: true, typeName: ".test.v1.Everything.FlagsEntry"),
                field("flat", 34, .message, typeName: ".test.v1.Flat"),
            ]
            $0.nestedType = [
                .with { $0.name = "Inner"; $0.field = [field("label", 1, .string)] },
                mapEntry("CountsEntry", key: .string, value: .int32),
                mapEntry("ById", key: .int64, value: .message, valueType: ".test.v1.Everything.Inner"),
                mapEntry("FlagsEntry", key: .bool, value: .string),
            ]
            $0.enumType = [.with {
                $0.name = "Color"
                $0.value = [.with { $0.name = "COLOR_UNSPECIFIED"; $0.number = 0 }, .with { $0.name = "RED"; $0.number = 1 }]
            }]
            $0.oneofDecl = [.with { $0.name = "choice" }, .with { $0.name = "_maybe" }]
        }
        let flat = Google_Protobuf_DescriptorProto.with {
            $0.name = "Flat"
            $0.field = [field("packed", 1, .int32)]
        }
        return .with {
            $0.name = "test/v1/everything.proto"
            $0.package = "test.v1"
            $0.syntax = "proto3"
            $0.messageType = [message, flat]
        }
    }()
}
