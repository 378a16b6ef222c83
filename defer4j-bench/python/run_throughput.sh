#!/bin/sh
# Training throughput, defer4j then PyTorch back to back on the same exported rows (see
# docs/benchmarks.md, "Training throughput against PyTorch").
# Usage: run_throughput.sh BENCH_JAR DATA_FILE [epochs=2] [reps=5]
set -e
uptime
jar="$1"; data="$2"; epochs="${3:-2}"; reps="${4:-5}"
here="$(cd "$(dirname "$0")" && pwd)"
date -u
uptime
java -Xmx4g -cp "$jar" org.defer4j.bench.experiments.TrainThroughput "$data" "$epochs" "$reps"
/usr/bin/python3 "$here/train_bench.py" "$data" "$epochs" "$reps" 1
/usr/bin/python3 "$here/train_bench.py" "$data" "$epochs" "$reps" 2
date -u
uptime
