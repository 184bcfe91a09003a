#!/usr/bin/env bash
# libFuzzer over coid's parsers (not in CI; see docs/reliability.md). Builds Fuzz/Harness.swift with
# the sources under test compiled in with -sanitize=fuzzer (so coverage guides the fuzzer through
# them), links their dependencies from the debug build, then runs each target for a set number of
# inputs. A crash leaves its input in .build/fuzz/crash-<target>-*; replay it with
#   FUZZ_TARGET=<target> .build/fuzz/coid-fuzz <file>
#
#   scripts/fuzz.sh                     every target, FUZZ_RUNS inputs each (default 200000)
#   scripts/fuzz.sh frame toml          some targets
#   FUZZ_RUNS=1000000 scripts/fuzz.sh   longer
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${FUZZ_RUNS:-200000}"
if [ "$#" -gt 0 ]; then targets=("$@"); else targets=(frame envelope streams toml json); fi

# The dependency modules and objects come from the ordinary debug build (as scripts/test.sh builds it).
swift build --build-tests >&2   # the same flags as scripts/test.sh, so neither invalidates the other
bin="$(swift build --show-bin-path)"
out=.build/fuzz
mkdir -p "$out"

sources=(Fuzz/Harness.swift
         Sources/Daemon/Wire/Frame/*.swift Sources/Daemon/Wire/Streams/*.swift Sources/Daemon/Wire/Envelope/*.swift
         Sources/Daemon/Wire/Status/*.swift Sources/Daemon/Wire/JSON/*.swift
         Sources/Daemon/PluginKit/Config/TOML.swift Sources/Daemon/PluginKit/Config/TOMLValue.swift)
objects=()
for module in NIOCore _NIODataStructures _NIOBase64 NIOConcurrencyHelpers CNIOLinux CNIOAtomics CNIODarwin CNIOWindows CNIOWASI \
              CNIOFreeBSD CNIOOpenBSD Atomics _AtomicsShims DequeModule InternalCollectionsUtilities \
              ContainersPreview SwiftProtobuf COIProto COIRPC; do
  [ -d "$bin/$module.build" ] || continue
  while IFS= read -r object; do objects+=("$object"); done < <(find "$bin/$module.build" -name '*.o')
done

# C modules the Swift modules import: SwiftPM's generated module maps, and those shipped in checkouts.
cflags=()
for map in "$bin"/*.build/module.modulemap .build/checkouts/swift-atomics/Sources/_AtomicsShims/include/module.modulemap \
           .build/checkouts/swift-nio/Sources/CNIOWindows/include/module.modulemap; do
  [ -e "$map" ] && cflags+=(-Xcc "-fmodule-map-file=$map")
done
for include in .build/checkouts/swift-nio/Sources/*/include .build/checkouts/swift-atomics/Sources/_AtomicsShims/include; do
  cflags+=(-Xcc "-I$include")
done

swiftc -sanitize=fuzzer -parse-as-library -swift-version 6 -O -g \
  -enable-upcoming-feature ExistentialAny -enable-upcoming-feature InternalImportsByDefault \
  -module-name CoidFuzz -I "$bin/Modules" "${cflags[@]}" \
  "${sources[@]}" "${objects[@]}" -o "$out/coid-fuzz" >&2

for target in "${targets[@]}"; do
  corpus="$out/corpus/$target"
  mkdir -p "$corpus"
  [ -d "Fuzz/seeds/$target" ] && cp -n Fuzz/seeds/"$target"/* "$corpus"/ 2>/dev/null || true
  echo "== $target: $runs inputs" >&2
  FUZZ_TARGET="$target" "$out/coid-fuzz" -runs="$runs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$out/crash-$target-" -print_final_stats=1 "$corpus" 2>&1 \
    | grep -E "^(#[0-9]+ +DONE|Done|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==|SUMMARY|.*Fatal error|.*precondition)" || true
done
