#!/usr/bin/env bash
# The compare benchmark: two "checkpoints" of one narrow corpus, a million sequences each (the same
# seed, so the same ids, targets and weights; B's targets boosted 0.1 more), evaluated with
# --per-sequence, then `compare` timed with submit.sh's default driver memory (1g in local mode),
# without and with --bootstrap 100. Prints one line per timed run and a markdown table.
#
#   bench/compare.sh                      # 3 timed runs of each
#   RUNS=5 SEQUENCES=2000000 bench/compare.sh
#
# Needs about 1 GB in bench/data/ (gitignored).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
RUNS="${RUNS:-3}"
SEQUENCES="${SEQUENCES:-1000000}"
DATA="bench/data/compare-$SEQUENCES"
SPEC="--sequences $SEQUENCES --min-length 4 --max-length 16 --num-classes 8 --padding-share 0.2 --rows-per-file 250000 --seed 5"
mkdir -p "$DATA" bench/out
[[ "${SKIP_BUILD:-0}" == 1 ]] || mvn -q -B -DskipTests package >&2
for side in a:2.0 b:2.1; do
  name="${side%%:*}"
  boost="${side#*:}"
  if [[ ! -f "$DATA/ckpt-$name/_SUCCESS" ]]; then
    # shellcheck disable=SC2086 # the options are a word list on purpose
    ./submit.sh generate --output "$DATA/ckpt-$name" --overwrite $SPEC --target-boost "$boost" >&2
  fi
  if [[ ! -f "$DATA/eval-$name/summary.json" ]]; then
    ./submit.sh --input "$DATA/ckpt-$name" --output "$DATA/eval-$name" --per-sequence >&2
  fi
done

seconds() { python3 -c 'import json,sys; print(round(json.loads(sys.argv[1])["elapsed_seconds"], 2))' "$1"; }
rows=()
for options in "" "--bootstrap 100"; do
  for ((run = 1; run <= RUNS; run++)); do
    start=$(date +%s.%N)
    # shellcheck disable=SC2086
    line="$(./submit.sh compare --baseline "$DATA/eval-a" --candidate "$DATA/eval-b" --output bench/out/compare \
      $options 2> bench/out/compare.log | tail -n 1)"
    end=$(date +%s.%N)
    process=$(python3 -c "print(round($end - $start, 2))")
    echo "compare ${options:-(delta method only)} run $run: process ${process} s, in job $(seconds "$line") s" >&2
    rows+=("| ${SEQUENCES} per side | ${options:-delta method} | $process | $(seconds "$line") |")
  done
done
echo "| sequences | options | process s | in-job s |"
echo "|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo "last result: $line"
