"""Airflow DAG: nightly Concord training, one DAG run per logical date, idempotent per run id.

Tasks per offered job (concord_dag_args.JOBS): validate (no retries: a bad config fails at once) -> train
(spark-submit in client mode; exit 2/3 -> AirflowFailException, never retried; other failures retried) ->
check_summary (reads <output>/<run-id>/summary.json over WebHDFS and applies the job's gate).

Retries are safe: Concord commits a run directory atomically (_SUCCESS last), resubmitting a committed run id is a
no-op, and --resume continues a crashed run from its newest checkpoint. The argument building lives in
concord_dag_args (no Airflow import), which CI tests by running `concord validate` on every job's arguments.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta

from airflow import DAG
from airflow.exceptions import AirflowException, AirflowFailException
from airflow.operators.python import PythonOperator

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import concord_dag_args as args  # noqa: E402

SPARK_SUBMIT = os.environ.get("SPARK_SUBMIT", "spark-submit")


def run_concord(command, **_):
    """Runs a command; exit 2/3 (config/data) fail the task for good, anything else non-zero is retried."""
    code = subprocess.call(command)
    verdict = args.classify(code)
    if verdict == "fatal":
        raise AirflowFailException(f"concord exited {code} (config or data error; not retried): {command}")
    if verdict == "retry":
        raise AirflowException(f"concord exited {code} (retried): {command}")


def validate(job, ds, **_):
    run_concord([SPARK_SUBMIT, "--master", "local[1]", "--class", "io.concord.cli.ConcordMain", args.CONCORD_JAR,
                 *args.validate_arguments(job, ds)])


def train(job, ds, **_):
    run_concord(args.spark_submit_command(job, ds, spark_submit=SPARK_SUBMIT))


def check_summary(job, ds, **_):
    from airflow.providers.apache.hdfs.hooks.webhdfs import WebHDFSHook

    client = WebHDFSHook().get_conn()
    with client.read(args.summary_path(job, ds).replace("hdfs://", "", 1)) as reader:
        summary = json.load(reader)
    problem = args.check_summary(summary, job)
    if problem:
        raise AirflowFailException(problem)
    return summary["metrics"]


with DAG(
    dag_id="concord_nightly",
    start_date=datetime(2026, 1, 1),
    schedule="@daily",
    catchup=False,
    default_args={"owner": "ml-platform", "retries": 3, "retry_delay": timedelta(minutes=10)},
    max_active_runs=1,
    tags=["concord", "training"],
) as dag:
    for job in args.JOBS:
        check = PythonOperator(task_id=f"{job}_validate", python_callable=validate, retries=0,
                               op_kwargs={"job": job})
        fit = PythonOperator(task_id=f"{job}_train", python_callable=train, op_kwargs={"job": job})
        gate = PythonOperator(task_id=f"{job}_check_summary", python_callable=check_summary, retries=1,
                              op_kwargs={"job": job})
        check >> fit >> gate
