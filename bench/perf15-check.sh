#!/usr/bin/env bash
# Issue 15's before/after check: runs the old tree's and this tree's submit.sh with --per-sequence on
# each corpus given, and compares summary.json (without timings and paths) and the per_sequence/ part
# files byte for byte, in part order. Usage: bench/perf15-check.sh OLD_TREE CORPUS... (exit 1 on a
# difference).
set -euo pipefail
OLD="$1"; shift
NEW="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${WORK:-/tmp/perf15-check}"
status=0
strip() { # summary.json without what differs between any two runs
  python3 -c 'import json,sys
def drop(v):
  if isinstance(v,dict): return {k:drop(x) for k,x in v.items() if k not in ("elapsed_seconds","output_dir")}
  if isinstance(v,list): return [drop(x) for x in v]
  return v
print(json.dumps(drop(json.load(open(sys.argv[1]))),sort_keys=True,indent=1))' "$1"
}
for corpus in "$@"; do
  name="$(basename "$corpus")"
  for side in old new; do
    tree="$OLD"; [[ $side == new ]] && tree="$NEW"
    rm -rf "$WORK/$name-$side"
    "$tree/submit.sh" --driver-memory 2g --input "$corpus" --output "$WORK/$name-$side" --per-sequence \
      >"$WORK/$name-$side.log" 2>&1
  done
  if diff <(strip "$WORK/$name-old/summary.json") <(strip "$WORK/$name-new/summary.json") >/dev/null; then
    echo "$name: summary.json equal"
  else
    echo "$name: summary.json DIFFERS"; status=1
  fi
  mapfile -t a < <(ls "$WORK/$name-old/per_sequence/" | grep '^part-' | sort)
  mapfile -t b < <(ls "$WORK/$name-new/per_sequence/" | grep '^part-' | sort)
  if [[ ${#a[@]} -ne ${#b[@]} ]]; then
    echo "$name: per_sequence/ has ${#a[@]} vs ${#b[@]} part files"; status=1; continue
  fi
  same=0
  for i in "${!a[@]}"; do
    if cmp -s "$WORK/$name-old/per_sequence/${a[$i]}" "$WORK/$name-new/per_sequence/${b[$i]}"; then
      same=$((same + 1))
    else
      echo "$name: ${a[$i]} and ${b[$i]} DIFFER"; status=1
    fi
  done
  echo "$name: per_sequence/ $same of ${#a[@]} part files byte-identical"
done
exit $status
