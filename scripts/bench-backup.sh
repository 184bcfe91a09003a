#!/usr/bin/env bash
# Times `coictl backup` of a database of about SIZE_MB megabytes while writers keep writing canaries.
#   scripts/bench-backup.sh [SIZE_MB] [BIN_DIR]     defaults: 1024, .build/debug (coid and coictl)
# The database is made by starting coid once (schema), then filling core_canaries with sqlite3
# (rows of 180-character labels) while coid is stopped. Then coid runs, WRITERS (default 4) loops
# each call Diagnostics/WriteCanary through coictl for as long as the backup takes (bounded at 10 min),
# and the backup's wall time, its size and the number of writes acknowledged meanwhile are printed.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb="${1:-1024}"
bin="$(realpath "${2:-.build/debug}")"
writers="${WRITERS:-4}"
dir="$(mktemp -d /tmp/coid-bench-backup.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
state="$dir/state"; sock="$dir/coid.sock"

start_coid() {
  "$bin/coid" --state-dir "$state" --socket "$sock" >>"$dir/coid.log" 2>&1 &
  coid_pid=$!; pids+=("$coid_pid")
  for _ in $(seq 1 600); do [ -S "$sock" ] && "$bin/coictl" --socket "$sock" health >/dev/null 2>&1 && return; sleep 0.1; done
  cat "$dir/coid.log"; echo "bench-backup: coid did not start" >&2; exit 1
}
stop_coid() { kill -TERM "$coid_pid"; wait "$coid_pid" || true; }

start_coid; stop_coid
# About 430 bytes a row: the 180-character label twice (table and its index) and overhead.
rows=$(( size_mb * 1024 * 1024 / 430 ))
echo "filling $state/coid.db with $rows canaries (~$size_mb MB)"
sqlite3 "$state/coid.db" <<SQL
PRAGMA journal_mode = WAL;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $rows)
INSERT INTO core_canaries (label, written_at) SELECT hex(randomblob(90)), '2026-11-28T00:00:00Z' FROM n;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
echo "database: $(du -m "$state/coid.db" | cut -f1) MB"
start_coid

for w in $(seq 1 "$writers"); do
  ( end=$(( $(date +%s) + 600 )); i=0
    while [ "$(date +%s)" -lt "$end" ]; do
      "$bin/coictl" --socket "$sock" call coi.core.v1.Diagnostics/WriteCanary "{\"label\": \"bench-$w-$i\"}" >/dev/null && echo ok
      i=$((i + 1))
    done ) >"$dir/writer-$w.log" 2>&1 &
  pids+=("$!")
done
sleep 2
before=$(cat "$dir"/writer-*.log | grep -c ok || true)
start=$(date +%s.%N)
"$bin/coictl" --socket "$sock" backup --out "$dir/backup.db"
end=$(date +%s.%N)
after=$(cat "$dir"/writer-*.log | grep -c ok || true)
echo "backup: $(du -m "$dir/backup.db" | cut -f1) MB in $(echo "$end - $start" | bc) s, $((after - before)) writes acknowledged by $writers writers meanwhile"
