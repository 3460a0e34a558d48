"""A minimal stand-in for Apache Airflow 2.x, for testing examples/airflow/seqloss_dag.py without
installing Airflow. It keeps only what the DAG file uses, with Airflow's names, signatures and failure
messages; templates are rendered for {{ ds }} and {{ params.NAME }} only."""

from airflow.models.dag import DAG  # noqa: F401

__version__ = "2-stub"
