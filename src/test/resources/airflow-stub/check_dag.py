"""Checks examples/airflow/seqloss_dag.py against the Airflow stub beside this file.

    python3 check_dag.py DAG_FILE describe PARAMS_JSON      # the DAGs and their rendered commands
    python3 check_dag.py DAG_FILE exit-codes                # how exit codes 1, 2, 3 fail a task
    python3 check_dag.py DAG_FILE run DAG_ID PARAMS_JSON    # runs that DAG's evaluate task for real

Prints one JSON document on stdout. The logical date is 2024-06-01.
"""

import importlib.util
import json
import os
import py_compile
import stat
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from airflow.exceptions import AirflowException  # noqa: E402
from airflow.models.dag import DAG  # noqa: E402

DS = "2024-06-01"


def load(dag_file):
    with tempfile.TemporaryDirectory() as tmp:  # valid Python, whatever the stub accepts
        py_compile.compile(dag_file, cfile=os.path.join(tmp, "dag.pyc"), doraise=True)
    spec = importlib.util.spec_from_file_location("seqloss_dag", dag_file)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def dags(module):
    return {v.dag_id: v for v in vars(module).values() if isinstance(v, DAG)}


def context(dag, params):
    merged = dict(dag.params)
    merged.update(params)
    return {"ds": DS, "params": merged}


def describe(module, params):
    out = {}
    for dag_id, dag in dags(module).items():
        tasks = []
        for task in dag.tasks:
            task.render_template_fields(context(dag, params))
            entry = {"task_id": task.task_id, "type": type(task).__name__, "retries": task.retries,
                     "xcom": task.do_xcom_push, "downstream": [t.task_id for t in task.downstream]}
            if hasattr(task, "bash_command"):
                entry["bash_command"] = task.bash_command
            if hasattr(task, "spark_submit_command"):
                entry["spark_submit"] = task.spark_submit_command()
                entry["java_class"] = task.java_class
                entry["application"] = task.application
                entry["conf"] = task.conf
                entry["driver_memory"] = task.driver_memory
            tasks.append(entry)
        out[dag_id] = {"schedule": dag.schedule, "params": dag.params, "tasks": tasks}
    return out


def outcome(task, ctx):
    try:
        return {"result": "success", "xcom": task.execute(ctx)}
    except AirflowException as error:
        return {"result": type(error).__name__, "message": str(error)}


def exit_codes(module):
    results = {"bash": {}, "spark_submit": {}}
    with tempfile.TemporaryDirectory() as tmp:
        fake = os.path.join(tmp, "fake-spark-submit")
        with open(fake, "w") as f:
            f.write("#!/usr/bin/env bash\nexit \"$FAKE_EXIT_CODE\"\n")
        os.chmod(fake, stat.S_IRWXU)
        os.environ["STUB_SPARK_SUBMIT"] = fake
        with DAG("exit-code-check", default_args={"retries": 3}):
            for code in (0, 1, 2, 3, 4):
                bash = module.SeqlossBashOperator(task_id=f"bash-{code}", bash_command=f"echo line; exit {code}")
                results["bash"][code] = outcome(bash, {})
                spark = module.SeqlossSparkSubmitOperator(task_id=f"spark-{code}", application="app.jar",
                                                          java_class="io.seqloss.cli.Main")
                os.environ["FAKE_EXIT_CODE"] = str(code)
                results["spark_submit"][code] = outcome(spark, {})
    return results


def run(module, dag_id, params):
    dag = dags(module)[dag_id]
    task = next(t for t in dag.tasks if t.task_id == "evaluate")
    ctx = context(dag, params)
    task.render_template_fields(ctx)
    return outcome(task, ctx)


def main(argv):
    module = load(argv[1])
    mode = argv[2]
    if mode == "describe":
        result = describe(module, json.loads(argv[3]))
    elif mode == "exit-codes":
        result = exit_codes(module)
    elif mode == "run":
        result = run(module, argv[3], json.loads(argv[4]))
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main(sys.argv)
