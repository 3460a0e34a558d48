import os
import subprocess

from airflow.exceptions import AirflowException
from airflow.models.baseoperator import BaseOperator


class SparkSubmitOperator(BaseOperator):
    """As the apache-spark provider's: builds a spark-submit command line the way SparkSubmitHook does
    (for the arguments the DAG uses) and fails with the hook's message on a non-zero exit. The binary is
    $STUB_SPARK_SUBMIT, default spark-submit."""

    template_fields = ("application", "conf", "application_args", "name", "driver_memory")

    def __init__(self, task_id, application="", conf=None, conn_id="spark_default", java_class=None,
                 application_args=None, name="arrow-spark", driver_memory=None, **kwargs):
        super().__init__(task_id=task_id, **kwargs)
        self.application = application
        self.conf = conf
        self.conn_id = conn_id
        self.java_class = java_class
        self.application_args = application_args
        self.name = name
        self.driver_memory = driver_memory

    def spark_submit_command(self):
        command = [os.environ.get("STUB_SPARK_SUBMIT", "spark-submit")]
        for key, value in (self.conf or {}).items():
            command += ["--conf", f"{key}={value}"]
        command += ["--name", self.name]
        if self.java_class:
            command += ["--class", self.java_class]
        if self.driver_memory:
            command += ["--driver-memory", self.driver_memory]
        command += [self.application]
        command += list(self.application_args or [])
        return command

    def execute(self, context):
        command = self.spark_submit_command()
        returncode = subprocess.run(command).returncode
        if returncode:
            raise AirflowException(f"Cannot execute: {' '.join(command)}. Error code is: {returncode}.")
