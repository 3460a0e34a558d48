#!/usr/bin/env bash
# seqloss launcher: a spark-submit wrapper.
#
#   ./submit.sh [spark-submit options] [seqloss options]
#   ./submit.sh                      # evaluates the bundled sample corpus and prints its summary
#   ./submit.sh --dry-run ...        # prints the command it would run, and exits
#
# With SPARK_HOME set it runs $SPARK_HOME/bin/spark-submit. Without it, it runs Spark's own
# SparkSubmit from the project's Maven dependencies in local mode, so Java and Maven are enough.
# spark-submit's options (--master, --deploy-mode, --conf, --jars, --driver-memory, ...) are passed
# through to Spark; every other argument goes to seqloss (see ./submit.sh --help).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CONF_DIR="${SEQLOSS_CONF_DIR:-$HERE/conf}"
MAIN_CLASS="io.seqloss.cli.Main"
SAMPLE="$HERE/examples/sentiment/sentiment.parquet"

die() { echo "submit.sh: $*" >&2; exit 2; }

spark_args=()
app_args=()
dry_run=false
have_config=false
master=""
deploy_mode=""
driver_memory=""
driver_java_options=""
driver_class_path=""
files=""

while (($#)); do
  arg="$1"
  case "$arg" in
    --dry-run) dry_run=true; shift; continue ;;
    --verbose|-v|--supervise) spark_args+=("$arg"); shift; continue ;;
  esac
  # spark-submit options that take a value, as "--opt value" or "--opt=value"
  name="${arg%%=*}"
  case "$name" in
    --master|--deploy-mode|--conf|-c|--jars|--packages|--exclude-packages|--repositories|--files|--archives|\
    --py-files|--name|--properties-file|--driver-memory|--driver-java-options|--driver-library-path|\
    --driver-class-path|--driver-cores|--executor-memory|--executor-cores|--num-executors|\
    --total-executor-cores|--queue|--principal|--keytab|--proxy-user)
      if [[ "$arg" == *=* ]]; then value="${arg#*=}"; shift
      else
        (($# >= 2)) || die "$arg needs a value"
        value="$2"; shift 2
      fi
      case "$name" in
        --master) master="$value" ;;
        --deploy-mode) deploy_mode="$value" ;;
        --driver-memory) driver_memory="$value" ;;
        --driver-java-options) driver_java_options="$value" ;;
        --driver-class-path) driver_class_path="$value" ;;
        --files) files="${files:+$files,}$value"; continue ;;  # merged into one --files below
      esac
      spark_args+=("$name" "$value")
      ;;
    --config) have_config=true; app_args+=("$arg"); shift ;;
    *) app_args+=("$arg"); shift ;;
  esac
done

if ((${#app_args[@]} == 0)); then
  [[ -f "$SAMPLE" ]] || die "bundled sample corpus $SAMPLE is missing"
  echo "submit.sh: no arguments; evaluating the bundled sample corpus $SAMPLE" >&2
  app_args=(--input "$SAMPLE" --output "$HERE/target/sample-output")
fi

# Job defaults: conf/seqloss.properties unless --config names another file. In cluster deploy mode
# the driver runs elsewhere, so the file is shipped with --files and named by its base name.
if ! $have_config && [[ -f "$CONF_DIR/seqloss.properties" ]]; then
  if [[ "$deploy_mode" == "cluster" ]]; then
    files="${files:+$files,}$CONF_DIR/seqloss.properties"
    app_args=(--config seqloss.properties "${app_args[@]}")
  else
    app_args=(--config "$CONF_DIR/seqloss.properties" "${app_args[@]}")
  fi
fi

# spark-submit keeps only the last --files, so the user's files and ours travel in one list.
[[ -n "$files" ]] && spark_args+=(--files "$files")

# conf/spark-defaults.conf goes first as --conf pairs, so the user's --conf flags override it while
# the cluster's own spark-defaults.conf still applies to every other key.
default_confs=()
conf_driver_memory=""
if [[ -f "$CONF_DIR/spark-defaults.conf" ]]; then
  while read -r key value; do
    [[ -z "$key" || "$key" == \#* ]] && continue
    default_confs+=(--conf "$key=$value")
    [[ "$key" == "spark.driver.memory" ]] && conf_driver_memory="$value"
  done < "$CONF_DIR/spark-defaults.conf"
fi
for ((i = 0; i < ${#spark_args[@]}; i++)); do
  if [[ "${spark_args[$i]}" == "--conf" || "${spark_args[$i]}" == "-c" ]] \
      && [[ "${spark_args[$((i + 1))]}" == spark.driver.memory=* ]]; then
    conf_driver_memory="${spark_args[$((i + 1))]#spark.driver.memory=}"
  fi
done

find_jar() {
  local jar
  jar="$(ls "$HERE"/target/seqloss-*.jar 2>/dev/null | grep -v -e '-tests.jar' -e 'original-' | head -n 1 || true)"
  echo "$jar"
}

JAR="$(find_jar)"
if [[ -z "$JAR" || ! -f "$HERE/target/spark-classpath.txt" ]]; then
  if $dry_run; then
    JAR="$HERE/target/seqloss-<version>.jar"
  else
    echo "submit.sh: building the application jar (mvn package -DskipTests) ..." >&2
    (cd "$HERE" && mvn -q -B -DskipTests package >&2) || { echo "submit.sh: build failed" >&2; exit 1; }
    JAR="$(find_jar)"
  fi
fi

log4j_opt="-Dlog4j2.configurationFile=file:$CONF_DIR/log4j2.properties"

# A driver advertises the address of its host name, which is often not the loopback one; executors of
# a cluster on 127.0.0.1 (cluster/standalone.sh) must reach the driver there too.
if [[ -z "${SPARK_LOCAL_IP:-}" && "$master" =~ ^spark://(127\.0\.0\.1|localhost): ]]; then
  export SPARK_LOCAL_IP=127.0.0.1
fi

if [[ -n "${SPARK_HOME:-}" ]]; then
  extra=()
  if [[ -z "$driver_java_options" && "$deploy_mode" != "cluster" ]]; then
    extra+=(--driver-java-options "$log4j_opt")
  fi
  cmd=("$SPARK_HOME/bin/spark-submit" --class "$MAIN_CLASS" "${default_confs[@]}" "${extra[@]}"
       "${spark_args[@]}" "$JAR" "${app_args[@]}")
else
  [[ -z "$deploy_mode" || "$deploy_mode" == "client" ]] \
    || die "--deploy-mode $deploy_mode needs a Spark installation: set SPARK_HOME"
  heap="${driver_memory:-${conf_driver_memory:-1g}}"
  spark_cp="$(cat "$HERE/target/spark-classpath.txt" 2>/dev/null || echo '<spark-classpath>')"
  cp="$JAR:$spark_cp"
  [[ -n "$driver_class_path" ]] && cp="$driver_class_path:$cp"
  java_opts=()
  # the same --add-opens list Spark's launcher adds on Java 17
  for pkg in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
      java.util.concurrent java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs \
      sun.security.action sun.util.calendar; do
    java_opts+=("--add-opens=java.base/$pkg=ALL-UNNAMED")
  done
  java_opts+=(-XX:+IgnoreUnrecognizedVMOptions -Djdk.reflect.useDirectMethodHandle=false "-Xmx$heap" "$log4j_opt")
  if [[ -n "$driver_java_options" ]]; then
    read -r -a user_opts <<< "$driver_java_options"
    java_opts+=("${user_opts[@]}")
  fi
  cmd=("${JAVA_HOME:+$JAVA_HOME/bin/}java" "${java_opts[@]}" -cp "$cp" org.apache.spark.deploy.SparkSubmit
       --master "${master:-local[*]}" --class "$MAIN_CLASS" "${default_confs[@]}" "${spark_args[@]}"
       "$JAR" "${app_args[@]}")
fi

if $dry_run; then
  printf '%q ' "${cmd[@]}"
  echo
  exit 0
fi
exec "${cmd[@]}"
