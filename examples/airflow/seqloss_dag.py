"""Nightly seqloss evaluation of a dated corpus, scheduled by Airflow (2.x).

Two DAGs, one per way of launching seqloss; deploy the one that fits your cluster:

* ``seqloss_nightly_spark_submit``: Airflow's ``SparkSubmitOperator`` (provider
  ``apache-airflow-providers-apache-spark``, connection ``spark_default``) runs the application jar.
  The driver's stdout goes to the task log mixed with Spark's, and in cluster deploy mode not at all,
  so a second task reads ``summary.json`` from the output directory and pushes it to XCom.
* ``seqloss_nightly_submit_sh``: a ``BashOperator`` runs seqloss's own ``submit.sh`` (which applies
  ``conf/``), and the summary JSON, the last line of stdout, is the task's XCom value.

Both evaluate ``{corpus_root}/{ds}`` (Airflow's logical date, YYYY-MM-DD) into ``{output_root}/{ds}``.

Exit codes and retries (see the README): seqloss exits 1 for failures a retry can cure (cluster,
network, I/O), 2 for a usage or configuration error and 3 for invalid input data. Retrying 2 or 3
gives the same result, so the operators below turn them into ``AirflowFailException``, which fails
the task at once without using its retries; exit 1 stays a plain failure and is retried.
"""

import re
from datetime import datetime, timedelta

from airflow import DAG
from airflow.exceptions import AirflowException, AirflowFailException
from airflow.operators.bash import BashOperator
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

# seqloss's exit codes that a retry cannot cure.
NO_RETRY_EXIT_CODES = {
    2: "usage or configuration error",
    3: "invalid input data (missing/corrupt file, wrong schema, invalid row)",
}

# How Airflow 2 reports a non-zero exit: BashOperator raises "Bash command failed. The command
# returned a non-zero exit code 3."; SparkSubmitHook raises "Cannot execute: <cmd>. Error code is: 3."
_EXIT_CODE = re.compile(r"(?:non-zero exit code|Error code is:)\s*(-?\d+)")


def exit_code_of(error):
    """The process exit code in an operator's failure message, or None when it names none."""
    match = _EXIT_CODE.search(str(error))
    return int(match.group(1)) if match else None


def raise_for_exit_code(error):
    """Re-raises an operator failure: without retry for exit codes 2 and 3, as is otherwise.

    An exit code that cannot be read from the message is treated as retryable: a needless retry
    costs less than a lost night.
    """
    code = exit_code_of(error)
    if code in NO_RETRY_EXIT_CODES:
        raise AirflowFailException(
            f"seqloss exited with {code}: {NO_RETRY_EXIT_CODES[code]}; not retried. {error}"
        ) from error
    raise error


class FailFastOnDataErrors:
    """Mixin for an operator that runs seqloss: exit codes 2 and 3 fail the task without retries."""

    def execute(self, context):
        try:
            return super().execute(context)
        except AirflowFailException:
            raise
        except AirflowException as error:
            raise_for_exit_code(error)


class SeqlossBashOperator(FailFastOnDataErrors, BashOperator):
    """BashOperator for submit.sh; its return value (XCom) is the last stdout line, the summary."""


class SeqlossSparkSubmitOperator(FailFastOnDataErrors, SparkSubmitOperator):
    """SparkSubmitOperator for the seqloss jar.

    spark-submit returns the driver's exit code in client deploy mode only; in cluster mode every
    failure arrives as 1 and is retried.
    """


def seqloss_args(corpus, output, config):
    """seqloss's own arguments; the same for both launchers (submit.sh adds --config itself)."""
    args = ["--input", corpus, "--output", output]
    if config:
        args += ["--config", config]
    return args


# Settings of a deployment; override them per DAG run ("Trigger DAG w/ config") or here.
PARAMS = {
    "seqloss_home": "/opt/seqloss",  # a checkout or release with submit.sh, conf/ and target/*.jar
    "seqloss_jar": "/opt/seqloss/target/seqloss-spark-3.5_2.12-0.1.0.jar",  # seqloss-spark-4.2_2.13-... on Spark 4.2
    "corpus_root": "hdfs:///data/eval-corpora/nightly",  # one dated directory a night, Parquet or Arrow
    "output_root": "hdfs:///data/seqloss/nightly",
}

CORPUS = "{{ params.corpus_root }}/{{ ds }}"
OUTPUT = "{{ params.output_root }}/{{ ds }}"

# conf/spark-defaults.conf, which submit.sh applies and SparkSubmitOperator does not.
SPARK_CONF = {
    "spark.sql.parquet.enableNestedColumnVectorizedReader": "true",
    "spark.ui.showConsoleProgress": "false",
}
DRIVER_MEMORY = "2g"

DEFAULT_ARGS = {
    "owner": "seqloss",
    "retries": 3,  # for exit code 1 only; 2 and 3 are not retried (see above)
    "retry_delay": timedelta(minutes=10),
    "retry_exponential_backoff": True,
}



def nightly_dag(dag_id, launcher):
    """A DAG that runs at 03:00 for the previous day's corpus; one run at a time, no backfill."""
    return DAG(
        dag_id=dag_id,
        description=f"sequence_loss of last night's corpus, launched with {launcher}",
        schedule="0 3 * * *",
        start_date=datetime(2024, 1, 1),
        catchup=False,
        max_active_runs=1,
        default_args=DEFAULT_ARGS,
        params=PARAMS,
        tags=["seqloss"],
    )


with nightly_dag("seqloss_nightly_spark_submit", "SparkSubmitOperator") as spark_submit_dag:
    evaluate = SeqlossSparkSubmitOperator(
        task_id="evaluate",
        application="{{ params.seqloss_jar }}",
        java_class="io.seqloss.cli.Main",
        application_args=seqloss_args(
            CORPUS, OUTPUT, "{{ params.seqloss_home }}/conf/seqloss.properties"
        ),
        conf=SPARK_CONF,
        driver_memory=DRIVER_MEMORY,
        name="seqloss-{{ ds }}",
        conn_id="spark_default",
    )
    # The job writes the same JSON to OUTPUT/summary.json; its one line becomes this task's XCom.
    publish_summary = BashOperator(
        task_id="publish_summary",
        bash_command=f"hadoop fs -cat {OUTPUT}/summary.json",
        retries=1,
    )
    evaluate >> publish_summary

with nightly_dag("seqloss_nightly_submit_sh", "seqloss's submit.sh") as submit_sh_dag:
    # stdout of submit.sh is only the summary JSON line; BashOperator pushes its last line to XCom.
    SeqlossBashOperator(
        task_id="evaluate",
        bash_command="{{ params.seqloss_home }}/submit.sh "
        + " ".join(seqloss_args(CORPUS, OUTPUT, None)),
        do_xcom_push=True,
    )
