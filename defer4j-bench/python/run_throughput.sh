#!/bin/sh
# Training throughput, defer4j then PyTorch back to back on the same exported rows (see
# docs/benchmarks.md, "Training throughput against PyTorch"). DATA_FILE.val, when present, gives
# the validation accuracy of the fitted models. With DENSE_FILE (written by TrainThroughput
# -project), the same runs follow on that dense file.
# PyTorch: Debian's python3-torch calls the system libblas.so.3; install libopenblas0-pthread for
# its fast setting (the reference BLAS is many times slower).
# defer4j runs with a fixed, pre-touched heap: without it the heap's growth (the kernel zeroing
# fresh pages) lands in whichever fit grows it; PyTorch's tensors are made before its timer.
# Usage: run_throughput.sh BENCH_JAR DATA_FILE [epochs=2] [reps=5] [DENSE_FILE]
set -e
jar="$1"; data="$2"; epochs="${3:-2}"; reps="${4:-5}"; dense="$5"
here="$(cd "$(dirname "$0")" && pwd)"
date -u
uptime
for file in "$data" $dense; do
  echo "== $file"
  java -Xms4g -Xmx4g -XX:+AlwaysPreTouch -cp "$jar" org.defer4j.bench.experiments.TrainThroughput "$file" "$epochs" "$reps"
  /usr/bin/python3 "$here/train_bench.py" "$file" "$epochs" "$reps" 1
  /usr/bin/python3 "$here/train_bench.py" "$file" "$epochs" "$reps" 2
done
date -u
uptime
