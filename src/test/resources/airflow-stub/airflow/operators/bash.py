import subprocess

from airflow.exceptions import AirflowException, AirflowSkipException
from airflow.models.baseoperator import BaseOperator


class BashOperator(BaseOperator):
    """As Airflow 2's: runs bash -c, returns (and pushes to XCom) the last line of stdout."""

    template_fields = ("bash_command", "env")

    def __init__(self, task_id, bash_command, env=None, skip_on_exit_code=99, **kwargs):
        super().__init__(task_id=task_id, **kwargs)
        self.bash_command = bash_command
        self.env = env
        self.skip_on_exit_code = [skip_on_exit_code] if isinstance(skip_on_exit_code, int) else list(
            skip_on_exit_code or [])

    def execute(self, context):
        result = subprocess.run(["bash", "-c", self.bash_command], stdout=subprocess.PIPE, env=self.env, text=True)
        lines = result.stdout.splitlines()
        output = lines[-1] if lines else ""
        if result.returncode in self.skip_on_exit_code:
            raise AirflowSkipException(f"Bash command returned exit code {result.returncode}. Skipping.")
        if result.returncode != 0:
            raise AirflowException(
                f"Bash command failed. The command returned a non-zero exit code {result.returncode}.")
        return output
