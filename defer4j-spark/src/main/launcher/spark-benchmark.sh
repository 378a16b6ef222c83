#!/usr/bin/env bash
# The Spark scaling benchmark of docs/benchmarks.md: spark-benchmark.sh ROWS [DIR]; run after
# "mvn -B -DskipTests -pl defer4j-spark -am package". JVM heap via DEFER4J_BENCH_XMX (default 8g).
set -e
cd "$(dirname "$0")/../../../.."
opens="-XX:+IgnoreUnrecognizedVMOptions"
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do opens="$opens --add-opens=java.base/$p=ALL-UNNAMED"; done
export SPARK_LOCAL_IP=127.0.0.1
cp="defer4j-spark/target/defer4j-spark.jar:$(cat defer4j-spark/target/spark-classpath.txt)"
run() { java -Xmx${DEFER4J_BENCH_XMX:-8g} $opens -Dlog4j2.configurationFile=defer4j-spark/src/main/launcher/log4j2.properties -cp "$cp" org.defer4j.spark.bench.SparkBenchmark "$@" 2>&1 | grep -v WARN; }
D=${2:-/tmp/d4j-bench-$1}
run generate $1 $D
run single $D 5
run spark 'local[1]' $D 5
run spark 'local[2]' $D 5
run adam 'local[2]' $D 2
