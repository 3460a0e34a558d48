#!/usr/bin/env bash
# A before/after check for performance work: runs the old tree's and this tree's submit.sh with --per-sequence on
# each corpus given, and compares summary.json (without timings and paths) and the per_sequence/ and
# loss_by_position/ part files byte for byte, in part order; files that differ must have byte-identical pages and footers
# equal but for the order of a column's encoding set (bench/ParquetSame.java): Parquet writes
# that set from a HashSet of enums, whose order follows identity hashes and so the run's history. Usage: bench/same-output.sh OLD_TREE CORPUS... (exit 1 on a
# difference).
set -euo pipefail
OLD="$1"; shift
NEW="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${WORK:-/tmp/seqloss-same-output}"
mkdir -p "$WORK"
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
  for dir in per_sequence loss_by_position; do
    mapfile -t a < <(ls "$WORK/$name-old/$dir/" | grep '^part-' | sort)
    mapfile -t b < <(ls "$WORK/$name-new/$dir/" | grep '^part-' | sort)
    if [[ ${#a[@]} -ne ${#b[@]} ]]; then
      echo "$name: $dir/ has ${#a[@]} vs ${#b[@]} part files"; status=1; continue
    fi
    same=0
    pairs=()
    for i in "${!a[@]}"; do
      if cmp -s "$WORK/$name-old/$dir/${a[$i]}" "$WORK/$name-new/$dir/${b[$i]}"; then
        same=$((same + 1))
      else
        pairs+=("$WORK/$name-old/$dir/${a[$i]}" "$WORK/$name-new/$dir/${b[$i]}")
      fi
    done
    echo "$name: $dir/ $same of ${#a[@]} part files byte-identical"
    if ((${#pairs[@]} > 0)); then # the rest: pages byte-identical, footers equal up to set order
      checked="$(java -cp "$(cat "$NEW/target/spark-classpath-3.5.txt")" "$NEW/bench/ParquetSame.java" \
        "${pairs[@]}" 2>/dev/null | grep -c '^same: ' || true)"
      echo "$name: the other $(( ${#pairs[@]} / 2 )) part files: $checked with the same pages and footers"
      (( checked == ${#pairs[@]} / 2 )) || status=1
    fi
  done
done
exit $status
