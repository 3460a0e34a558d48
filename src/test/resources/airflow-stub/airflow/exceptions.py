class AirflowException(Exception):
    """Base class of Airflow's exceptions; a task failing with it is retried."""


class AirflowFailException(AirflowException):
    """Fails the task without retrying it."""


class AirflowSkipException(AirflowException):
    """Marks the task skipped."""
