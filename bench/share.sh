#!/usr/bin/env bash
# The SQLite share of the verify-only rate, measured ROUNDS times (default 5), each round a verify-only run then a
# SQLite (recommended flags) run, by bench/ingest.sh. The verify-only rate moves more from run to run than the SQLite
# rate, so one pair can land anywhere in a wide band; the median of several pairs is the steadier figure.
# One command:  bench/share.sh          Knobs: ROUNDS=5, and every knob of bench/ingest.sh (WARMUP, DURATION, ...).
# Output: a line per round and the median share on stdout, also written to bench/results/share-<UTC time>.md.
set -euo pipefail
main() {
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
ROUNDS=${ROUNDS:-5}
mkdir -p bench/results
OUT="bench/results/share-$(date -u +%Y-%m-%dT%H%M%SZ).md"
{
  echo "## SQLite share of verify-only, $ROUNDS rounds, $(date -u '+%Y-%m-%d %H:%M UTC'), $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo
  echo "| round | verify-only/s | SQLite (flags)/s | SQLite p99 | share |"
  echo "|---:|---:|---:|---:|---:|"
} >"$OUT"
shares=()
for ((r = 1; r <= ROUNDS; r++)); do
  table=$(SCENARIOS="verify-only sqlite-flags" bench/ingest.sh 2>/dev/null)
  v=$(awk -F'|' '/^\| verify-only/ { gsub(/ /, "", $3); print $3 }' <<<"$table")
  s=$(awk -F'|' '/^\| SQLite, recommended/ { gsub(/ /, "", $3); print $3 }' <<<"$table")
  p99=$(awk -F'|' '/^\| SQLite, recommended/ { gsub(/^ +| +$/, "", $5); print $5 }' <<<"$table")
  [[ -n "$v" && -n "$s" ]] || { echo "round $r: bench/ingest.sh gave no result" >&2; exit 1; }
  share=$(awk -v a="$s" -v b="$v" 'BEGIN { printf "%.1f", 100 * a / b }')
  shares+=("$share")
  echo "| $r | $v | $s | $p99 | $share % |" >>"$OUT"
  echo "round $r: verify-only $v/s, SQLite $s/s (p99 $p99): $share %"
done
median=$(printf '%s\n' "${shares[@]}" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }')
{ echo; echo "Median share: **$median %** (target: at least 40 %)."; } >>"$OUT"
echo "median share over $ROUNDS rounds: $median % (written to $OUT)"
}
main "$@"
