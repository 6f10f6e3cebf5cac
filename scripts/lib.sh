# Shared helpers for Concord's scripts (sourced, not run).
CONCORD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# JVM options for Java 17 (the --add-opens set Spark's JavaModuleOptions lists).
concord_jvm_opts() {
  grep -v '^#' "$CONCORD_ROOT/cluster-configs/jvm-options" | sed '/^\s*$/d'
}

# Compiles main and test classes and prints the spark-jobs test classpath (for benchmark mains).
concord_test_classpath() {
  local cpfile; cpfile="$(mktemp)"
  (cd "$CONCORD_ROOT" && mvn -B -q test-compile dependency:build-classpath -pl spark-jobs -am \
     -Dmdep.includeScope=test -Dmdep.outputFile="$cpfile" >&2)
  # Reactor modules resolve to their target/classes; keep every line's entries.
  tr '\n' ':' <"$cpfile"
  rm -f "$cpfile"
  printf ':%s' "$CONCORD_ROOT/spark-jobs/target/test-classes:$CONCORD_ROOT/spark-jobs/target/classes"
  printf ':%s' "$CONCORD_ROOT/losses-core/target/test-classes" "$CONCORD_ROOT/data-loaders/target/test-classes"
}

# Runs a benchmark main class from the test classpath: concord_bench_main <heap> <class> [args...]
concord_bench_main() {
  local heap="$1" main="$2"; shift 2
  local cp; cp="$(concord_test_classpath)"
  mapfile -t opts < <(concord_jvm_opts)
  OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}" SPARK_LOCAL_IP=127.0.0.1 java "${opts[@]}" -Xmx"$heap" \
    -Dlog4j2.configurationFile="$CONCORD_ROOT/cluster-configs/log4j2.properties" -cp "$cp" "$main" "$@"
}
