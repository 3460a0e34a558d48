#!/usr/bin/env bash
# The benchmark corpora: name, then the generate options that make it. Sourced by bench/run.sh.
# wide:   V = 32000, T = 64, 256 sequences: 2.1 GB of float32 logits (about 2 GB of Parquet).
# narrow: V = 2, T = 10 (the sentiment shape), 5 million sequences.
# Each in both codecs: Spark writes snappy by default; uncompressed shows the decoding floor.
# Each has a string column `domain` of 100 values (domain-00 .. domain-99) for the --group-by rows; it
# changes no logit, target or weight (the same seed gives the same loss sums as without it).
# wide-arrow: the rows of wide-uncompressed (same options and seed) as Arrow IPC stream files (.arrow,
# as Hugging Face datasets keeps them), uncompressed, one 8 MB row per record batch (generate's default).
declare -A CORPORA=(
  [wide-uncompressed]="--sequences 256 --min-length 64 --max-length 64 --num-classes 32000 --padding-share 0.1 --rows-per-file 32 --compression uncompressed --seed 4 --group-column domain --groups 100"
  [wide-snappy]="--sequences 256 --min-length 64 --max-length 64 --num-classes 32000 --padding-share 0.1 --rows-per-file 32 --compression snappy --seed 4 --group-column domain --groups 100"
  [wide-arrow]="--format arrow --sequences 256 --min-length 64 --max-length 64 --num-classes 32000 --padding-share 0.1 --rows-per-file 32 --compression uncompressed --seed 4 --group-column domain --groups 100"
  [narrow-uncompressed]="--sequences 5000000 --min-length 10 --max-length 10 --num-classes 2 --padding-share 0.2 --rows-per-file 1000000 --compression uncompressed --seed 5 --group-column domain --groups 100"
  [narrow-snappy]="--sequences 5000000 --min-length 10 --max-length 10 --num-classes 2 --padding-share 0.2 --rows-per-file 1000000 --compression snappy --seed 5 --group-column domain --groups 100"
)
# Not run by default (bench/run.sh wide-snappy-spark-pages): 512 MB of wide rows written with Spark's own
# page-size checks (every 100 rows), so each 8-row file is one 64 MB snappy page, as Spark writes wide
# rows by default. Shows the cost of Parquet's snappy decompressor on huge pages (see BENCHMARKS.md).
CORPORA[wide-snappy-spark-pages]="--sequences 64 --min-length 64 --max-length 64 --num-classes 32000 --padding-share 0.1 --rows-per-file 8 --compression snappy --seed 4 --page-check-rows 100"
# Not run by default: tiny corpora of the same shapes, for a smoke test of bench/run.sh on a Spark line
# (BENCH_DATA=/tmp/bench-small RUNS=1 bench/run.sh wide-small narrow-small wide-small-arrow).
CORPORA[wide-small]="--sequences 32 --min-length 32 --max-length 32 --num-classes 4000 --padding-share 0.1 --rows-per-file 8 --compression uncompressed --seed 4 --group-column domain --groups 100"
CORPORA[wide-small-arrow]="--format arrow ${CORPORA[wide-small]}"
CORPORA[narrow-small]="--sequences 50000 --min-length 10 --max-length 10 --num-classes 2 --padding-share 0.2 --rows-per-file 10000 --compression uncompressed --seed 5 --group-column domain --groups 100"
CORPUS_ORDER=(wide-uncompressed wide-snappy wide-arrow narrow-uncompressed narrow-snappy)
# Corpora that hold another's rows (same spec and seed): seqloss must give both the same loss sum and
# weight sum bit for bit. BenchmarkRunner checks each pair of which both were run.
declare -A SAME_ROWS=(
  [wide-snappy]=wide-uncompressed
  [wide-arrow]=wide-uncompressed
  [narrow-snappy]=narrow-uncompressed
  [wide-small-arrow]=wide-small
)
