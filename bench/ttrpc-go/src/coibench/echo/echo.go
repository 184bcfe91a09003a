// Package echo holds coi.core.v1.EchoRequest and EchoReply (protos/coi/core/v1/diagnostics.proto) as
// plain structs with protobuf tags, which gogo/protobuf (the codec of Debian's ttrpc 1.1.1) marshals
// by reflection. Hand-written rather than generated: the benchmark needs two messages of two fields
// and must build offline from Debian's packages alone, without protoc-gen-gogo.
package echo

import "github.com/gogo/protobuf/proto"

// Service and Method name the call both servers answer.
const (
	Service = "coi.core.v1.Diagnostics"
	Method  = "Echo"
)

type EchoRequest struct {
	Message string `protobuf:"bytes,1,opt,name=message,proto3"`
	Repeat  uint32 `protobuf:"varint,2,opt,name=repeat,proto3"`
}

func (m *EchoRequest) Reset()         { *m = EchoRequest{} }
func (m *EchoRequest) String() string { return proto.CompactTextString(m) }
func (*EchoRequest) ProtoMessage()    {}

type EchoReply struct {
	Message string `protobuf:"bytes,1,opt,name=message,proto3"`
	Index   uint32 `protobuf:"varint,2,opt,name=index,proto3"`
}

func (m *EchoReply) Reset()         { *m = EchoReply{} }
func (m *EchoReply) String() string { return proto.CompactTextString(m) }
func (*EchoReply) ProtoMessage()    {}
