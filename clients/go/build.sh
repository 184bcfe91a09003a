#!/usr/bin/env bash
# Builds coi-go-client offline in GOPATH mode from Debian's packages alone (golang-go,
# golang-github-containerd-ttrpc-dev, gogoprotobuf, protobuf-compiler):
#   1. ttrpc's own protoc plugin, protoc-gen-gogottrpc, from the ttrpc package's source;
#   2. Go messages and ttrpc client stubs for the protos the client calls, into gopath/src/coiproto;
#   3. the client, as ./coi-go-client.
# Everything generated or built (gopath/, the Go build cache, the binary) is not committed.
#   clients/go/build.sh [OUT]     default OUT: clients/go (the binary is OUT/coi-go-client)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
protos="$here/../../protos"
out="${1:-$here}"
work="$here/gopath"
mkdir -p "$work/src" "$work/bin" "$out"
export GOPATH="$work:$here:/usr/share/gocode" GO111MODULE=off GOFLAGS="" GOCACHE="$work/cache" GOPROXY=off

[ -x "$work/bin/protoc-gen-gogottrpc" ] || go build -o "$work/bin/protoc-gen-gogottrpc" github.com/containerd/ttrpc/cmd/protoc-gen-gogottrpc

rm -rf "$work/src/coiproto" && mkdir -p "$work/src/coiproto"
# One protoc run per proto package: protoc-gen-gogo refuses files of two packages in one run.
for proto in grpc/health/v1/health.proto coi/core/v1/diagnostics.proto coi/wiki/v1/wiki.proto; do
  protoc -I "$protos" --plugin=protoc-gen-gogottrpc="$work/bin/protoc-gen-gogottrpc" \
    --gogottrpc_out=plugins=ttrpc,paths=source_relative:"$work/src/coiproto" "$proto"
done

go build -o "$out/coi-go-client" coi-go-client
