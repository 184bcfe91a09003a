#!/usr/bin/env bash
# Generates coictl's man pages and shell completion scripts from the command definitions themselves
# (swift-argument-parser), so they never drift from the help text. Nothing generated is committed.
#   scripts/generate-cli-docs.sh [--bin-dir DIR] [OUT]     default OUT: .build/cli-docs
#     --bin-dir DIR  use coid and coictl from DIR (e.g. release binaries) instead of a debug build
# Writes:
#   OUT/man/man1/coictl.1, coictl.wiki.recent.1, …  one page per command (mdoc; `man -l OUT/man/man1/coictl.1`)
#   OUT/man/man8/coid.8                              the daemon, with its subcommands (config, restore)
#   OUT/completions/coictl.bash, _coictl, coictl.fish
# Install, e.g.: cp OUT/man/man1/* /usr/local/share/man/man1/;
#   cp OUT/completions/coictl.bash /usr/share/bash-completion/completions/coictl;
#   cp OUT/completions/_coictl /usr/share/zsh/vendor-completions/;
#   cp OUT/completions/coictl.fish /usr/share/fish/vendor_completions.d/.
#
# The man pages come from swift-argument-parser's generate-manual tool, the same one its
# `swift package generate-manual` command plugin runs; the plugin builds every product of the
# package in release mode first, so this script builds just coictl and the tool instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bin_dir=""
if [[ "${1:-}" = "--bin-dir" ]]; then bin_dir="$2"; shift 2; fi
out="${1:-.build/cli-docs}"
mkdir -p "$out/man/man1" "$out/man/man8" "$out/completions"

if [[ -z "$bin_dir" ]]; then
  swift build --product coictl >&2
  swift build --product coid >&2
  bin_dir="$(swift build --show-bin-path)"
fi
coictl="$bin_dir/coictl"
coid="$bin_dir/coid"

# The tool is an executable of the argument-parser package, not a product we depend on: build it
# from the resolved checkout into its own scratch directory.
parser=".build/checkouts/swift-argument-parser"
[[ -d "$parser" ]] || [[ ! -d .build-release/checkouts/swift-argument-parser ]] || parser=".build-release/checkouts/swift-argument-parser"
[[ -d "$parser" ]] || swift package resolve >&2
swift build --package-path "$parser" --scratch-path .build/cli-docs-tools --product generate-manual >&2
manual="$(swift build --package-path "$parser" --scratch-path .build/cli-docs-tools --show-bin-path)/generate-manual"

"$manual" "$coictl" --multi-page --section 1 --authors "Center for Offentlig Innovation" \
  --output-directory "$out/man/man1" >&2
"$manual" "$coid" --section 8 --authors "Center for Offentlig Innovation" --output-directory "$out/man/man8" >&2

for shell in bash zsh fish; do
  case "$shell" in
    bash) file=coictl.bash ;;
    zsh) file=_coictl ;;
    fish) file=coictl.fish ;;
  esac
  "$coictl" --generate-completion-script "$shell" >"$out/completions/$file"
done

echo "man pages in $out/man/man1 ($(ls "$out/man/man1" | wc -l) files) and $out/man/man8, completions in $out/completions"
