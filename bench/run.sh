#!/usr/bin/env bash
# The seqloss benchmark: builds the jar, generates the corpora into bench/data/ if missing, then times
# the scan floor, seqloss (scalar, per-sequence, fast paths off, --group-by, --bootstrap 100,
# --no-report) and the SQL and UDF baselines on each corpus, after checking that they agree on the loss
# (and, across corpora with the same rows in another codec or format, that seqloss's sums are the same
# bit for bit). Prints the tables, with the ratios the issues set targets for, and writes them to
# bench/out/report.md.
#
#   bench/run.sh                          # every corpus, 3 timed runs per variant, --driver-memory 1g
#   RUNS=5 bench/run.sh wide-snappy       # some corpora (names in bench/corpora.sh), more runs
#   DRIVER_MEMORY=2g SKIP_BUILD=1 bench/run.sh
#   bench/run.sh compare                  # compare on a million sequences per side (bench/compare.sh)
#   SEQLOSS_SPARK_LINE=4.2 bench/run.sh   # on the Spark 4.2 line (mvn -Pspark-4); 3.5 by default
#   VARIANTS=scan,scalar,group-by bench/run.sh   # only these variants (seqloss scalar always runs);
#       names: scan scan-tuned scan-inputs scan-loss scalar per-sequence public-api group-by bootstrap no-report sql udf
#   BENCH_DATA=/tmp/bench-small RUNS=1 bench/run.sh wide-small narrow-small wide-small-arrow
#       # smoke test: tiny corpora (a minute or two a line); BENCH_DATA: where corpora are (bench/data)
#
# Needs about 7 GB in bench/data/ (gitignored). Takes about half an hour on 2 cores, more with wide-arrow.
#
# The harness (io.seqloss.bench, src/bench/java) is not in the application jar: `mvn package` builds it
# into target/bench/seqloss-spark-<line>_<scala>-<version>-bench.jar, and this script runs its
# BenchmarkRunner with that jar on the classpath. Each timed variant is a fresh ./submit.sh process;
# the baseline queries run as `./submit.sh --class io.seqloss.bench.BaselineCommand --jars <bench jar>
# --kind scan|scan-tuned|scan-inputs|scan-loss|sql|udf --input <corpus>` (spark-submit's --class and --jars), so they start
# exactly as seqloss does.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$HERE"
source bench/corpora.sh

RUNS="${RUNS:-3}"
DRIVER_MEMORY="${DRIVER_MEMORY:-1g}"
REPORT="${REPORT:-bench/out/report.md}"
DATA="${BENCH_DATA:-bench/data}"
# `bench/run.sh compare` times the checkpoint comparison instead (bench/compare.sh).
if [[ "${1:-}" == compare ]]; then
  exec bench/compare.sh
fi
names=("$@")
((${#names[@]})) || names=("${CORPUS_ORDER[@]}")
for name in "${names[@]}"; do
  [[ -n "${CORPORA[$name]:-}" ]] || { echo "bench/run.sh: unknown corpus '$name' (known: ${CORPUS_ORDER[*]})" >&2; exit 2; }
done

# Every submit.sh the runner starts inherits the line.
export SEQLOSS_SPARK_LINE="${SEQLOSS_SPARK_LINE:-3.5}"
case "$SEQLOSS_SPARK_LINE" in
  3.5) profile=spark-3.5; scala=2.12 ;;
  4.2) profile=spark-4; scala=2.13 ;;
  *) echo "bench/run.sh: SEQLOSS_SPARK_LINE is '$SEQLOSS_SPARK_LINE'; expected 3.5 or 4.2" >&2; exit 2 ;;
esac
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "bench: building the jar for Spark $SEQLOSS_SPARK_LINE" >&2
  mvn -q -B -DskipTests "-P$profile" package >&2
fi
JAR="$(ls target/seqloss-spark-"${SEQLOSS_SPARK_LINE}_$scala"-*.jar | head -n 1)"
BENCH_JAR="$(ls target/bench/seqloss-spark-"${SEQLOSS_SPARK_LINE}_$scala"-*-bench.jar | head -n 1)"

mkdir -p "$DATA" bench/out
for name in "${names[@]}"; do
  if [[ ! -f "$DATA/$name/_SUCCESS" ]]; then
    echo "bench: generating $DATA/$name (${CORPORA[$name]})" >&2
    # shellcheck disable=SC2086 # the options are a word list on purpose
    ./submit.sh --driver-memory 2g generate --output "$DATA/$name" --overwrite ${CORPORA[$name]} >&2
  fi
done

args=()
[[ -z "${VARIANTS:-}" ]] || args+=(--variants "$VARIANTS")
for name in "${names[@]}"; do args+=("$name=$DATA/$name"); done
for name in "${!SAME_ROWS[@]}"; do args+=(--same-rows "$name=${SAME_ROWS[$name]}"); done
exec java -cp "$BENCH_JAR:$JAR:$(cat "target/spark-classpath-$SEQLOSS_SPARK_LINE.txt")" io.seqloss.bench.BenchmarkRunner \
  "$HERE" "$RUNS" "$DRIVER_MEMORY" "$REPORT" "${args[@]}"
