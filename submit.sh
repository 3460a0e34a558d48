#!/usr/bin/env bash
# seqloss launcher: a spark-submit wrapper.
#
#   ./submit.sh [spark-submit options] [seqloss options]
#   ./submit.sh                      # evaluates the bundled sample corpus and prints its summary
#   ./submit.sh --dry-run ...        # prints the command it would run, and exits
#   ./submit.sh --spark-line 4.2 ... # local run on the Spark 4 line (or SEQLOSS_SPARK_LINE=4.2)
#
# With SPARK_HOME set it runs $SPARK_HOME/bin/spark-submit with the jar built for that Spark (read from
# the names of $SPARK_HOME/jars), and refuses a Spark no jar is built for. Without it, it runs Spark's
# own SparkSubmit from the project's Maven dependencies in local mode, so Java and Maven are enough:
# Spark 3.5 unless --spark-line or SEQLOSS_SPARK_LINE says 4.2.
# spark-submit's options (--master, --deploy-mode, --conf, --jars, --driver-memory, ...) are passed
# through to Spark; every other argument goes to seqloss (see ./submit.sh --help).
# --class CLASS runs another main class instead of seqloss's, with the same Spark set-up, and its
# arguments as they are (no conf/seqloss.properties, no sample corpus); with --jars naming the jar
# that holds it, this is how bench/run.sh starts the benchmark's baseline queries.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CONF_DIR="${SEQLOSS_CONF_DIR:-$HERE/conf}"
SEQLOSS_MAIN="io.seqloss.cli.Main"
MAIN_CLASS="$SEQLOSS_MAIN"
SAMPLE="$HERE/examples/sentiment/sentiment.parquet"

die() { echo "submit.sh: $*" >&2; exit 2; }

# The Spark lines seqloss is built for: line, Scala version, Maven profile (see pom.xml).
LINES=("3.5 2.12 spark-3.5" "4.2 2.13 spark-4")
DEFAULT_LINE=3.5
line_field() { # line_field LINE N: field N (1 Scala, 2 profile) of a known line; fails for others
  local entry fields
  for entry in "${LINES[@]}"; do
    read -r -a fields <<< "$entry"
    [[ "${fields[0]}" == "$1" ]] && { echo "${fields[$2]}"; return 0; }
  done
  return 1
}
built_for() { local entry out=(); for entry in "${LINES[@]}"; do read -r l s _ <<< "$entry"; out+=("Spark $l (Scala $s)"); done
  local IFS=,; echo "${out[*]}" | sed 's/,/ and /g'; }

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
spark_line="${SEQLOSS_SPARK_LINE:-}"

while (($#)); do
  arg="$1"
  case "$arg" in
    --dry-run) dry_run=true; shift; continue ;;
    --class) (($# >= 2)) || die "--class needs a value"; MAIN_CLASS="$2"; shift 2; continue ;;
    --class=*) MAIN_CLASS="${arg#*=}"; shift; continue ;;
    --spark-line) (($# >= 2)) || die "--spark-line needs a value"; spark_line="$2"; shift 2; continue ;;
    --spark-line=*) spark_line="${arg#*=}"; shift; continue ;;
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

# Another main class (--class) gets its arguments as they are: no sample corpus, no seqloss defaults.
seqloss_main=false
[[ "$MAIN_CLASS" == "$SEQLOSS_MAIN" ]] && seqloss_main=true
if $seqloss_main && ((${#app_args[@]} == 0)); then
  [[ -f "$SAMPLE" ]] || die "bundled sample corpus $SAMPLE is missing"
  echo "submit.sh: no arguments; evaluating the bundled sample corpus $SAMPLE" >&2
  app_args=(--input "$SAMPLE" --output "$HERE/target/sample-output")
fi

# Job defaults: conf/seqloss.properties unless --config names another file. In cluster deploy mode
# the driver runs elsewhere, so the file is shipped with --files and named by its base name.
if $seqloss_main && ! $have_config && [[ -f "$CONF_DIR/seqloss.properties" ]]; then
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

# Which Spark line: that of SPARK_HOME's jars (spark-core_2.13-4.2.0.jar: Spark 4.2.0, Scala 2.13), else
# --spark-line / SEQLOSS_SPARK_LINE, else the default.
if [[ -n "$spark_line" ]]; then
  line_field "$spark_line" 1 > /dev/null \
    || die "--spark-line / SEQLOSS_SPARK_LINE is '$spark_line'; expected one of: $(built_for)"
fi
if [[ -n "${SPARK_HOME:-}" ]]; then
  core="$(ls "$SPARK_HOME"/jars/spark-core_*.jar 2>/dev/null | head -n 1 || true)"
  if [[ -n "$core" ]]; then
    core="$(basename "$core" .jar)"          # spark-core_2.13-4.2.0
    home_scala="${core#spark-core_}"; home_scala="${home_scala%%-*}"
    home_version="${core#spark-core_*-}"
    home_line="$(echo "$home_version" | cut -d. -f1,2)"
    if [[ "$(line_field "$home_line" 1 || true)" != "$home_scala" ]]; then
      die "SPARK_HOME ($SPARK_HOME) is Spark $home_version with Scala $home_scala; seqloss is built for $(built_for)"
    fi
    if [[ -n "$spark_line" && "$spark_line" != "$home_line" ]]; then
      die "--spark-line / SEQLOSS_SPARK_LINE is $spark_line but SPARK_HOME ($SPARK_HOME) is Spark $home_version"
    fi
    spark_line="$home_line"
  else
    echo "submit.sh: warning: cannot tell the Spark version of SPARK_HOME ($SPARK_HOME/jars has no spark-core jar);" \
      "using the jar for Spark ${spark_line:-$DEFAULT_LINE}" >&2
  fi
fi
spark_line="${spark_line:-$DEFAULT_LINE}"
scala="$(line_field "$spark_line" 1)"
profile="$(line_field "$spark_line" 2)"
CLASSPATH_FILE="$HERE/target/spark-classpath-$spark_line.txt"

find_jar() {
  local jar
  jar="$(ls "$HERE"/target/seqloss-spark-"${spark_line}_${scala}"-*.jar 2>/dev/null | grep -v -e '-tests.jar' | head -n 1 || true)"
  echo "$jar"
}

JAR="$(find_jar)"
if [[ -z "$JAR" || ! -f "$CLASSPATH_FILE" ]]; then
  if $dry_run; then
    JAR="$HERE/target/seqloss-spark-${spark_line}_${scala}-<version>.jar"
  else
    echo "submit.sh: building the application jar for Spark $spark_line (mvn -P$profile package -DskipTests) ..." >&2
    (cd "$HERE" && mvn -q -B -DskipTests "-P$profile" package >&2) || { echo "submit.sh: build failed" >&2; exit 1; }
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
  spark_cp="$(cat "$CLASSPATH_FILE" 2>/dev/null || echo '<spark-classpath>')"
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
