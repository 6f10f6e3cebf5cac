"""Airflow DAG: nightly Concord training with spark-submit, idempotent per logical date.

Each run writes <output>/<run-id>/ with run-id = "<job>-{{ ds_nodash }}". Concord exits 0 only after the run
directory is committed (_SUCCESS written last, staged then renamed), and re-submitting a committed run id is a
no-op, so Airflow retries are safe: a retry after a crash continues from the newest checkpoint (--resume) and a
retry after success does nothing. The downstream task reads summary.json instead of parsing logs.

Airflow connection "spark_default" carries the master / deploy mode (e.g. yarn, cluster).
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.python import PythonOperator
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

CONCORD_JAR = "hdfs:///apps/concord/spark-jobs-0.1.0-SNAPSHOT-spark-submit.jar"
OUTPUT = "hdfs:///ml/concord/runs"
JOB = "ultragcn"
CONFIG = "hdfs:///ml/concord/configs/ultragcn-gowalla.yaml"
RUN_ID = JOB + "-{{ ds_nodash }}"

default_args = {
    "owner": "ml-platform",
    "retries": 3,
    "retry_delay": timedelta(minutes=10),
}


def check_summary(run_id: str, min_recall: float, **_):
    """Fails the task (and alerts) when the committed run's metric is below the bar."""
    from airflow.providers.apache.hdfs.hooks.webhdfs import WebHDFSHook

    client = WebHDFSHook().get_conn()
    path = f"{OUTPUT.replace('hdfs://', '')}/{run_id}/summary.json"
    with client.read(path) as reader:
        summary = json.load(reader)
    if summary["status"] != "succeeded":
        raise ValueError(f"{run_id}: status {summary['status']}")
    recall = summary["metrics"].get("recall@20", 0.0)
    if recall < min_recall:
        raise ValueError(f"{run_id}: recall@20 {recall:.4f} < {min_recall}")
    return summary["metrics"]


with DAG(
    dag_id="concord_ultragcn_nightly",
    start_date=datetime(2026, 1, 1),
    schedule="@daily",
    catchup=False,
    default_args=default_args,
    max_active_runs=1,
    tags=["concord", "training"],
) as dag:
    train = SparkSubmitOperator(
        task_id="train",
        conn_id="spark_default",
        application=CONCORD_JAR,
        java_class="io.concord.cli.ConcordMain",
        name="concord-" + JOB,
        application_args=[
            "train", JOB,
            "--config", CONFIG,
            "--output", OUTPUT,
            "--run-id", RUN_ID,
            "--resume",
            "--no-progress",
            "--set", "data.path=hdfs:///ml/data/gowalla/{{ ds }}",
        ],
        conf={
            "spark.serializer": "org.apache.spark.serializer.KryoSerializer",
            "spark.kryo.registrator": "io.concord.engine.kryo.ConcordKryoRegistrator",
            "spark.kryo.registrationRequired": "true",
            "spark.plugins": "io.concord.engine.metrics.ConcordSparkPlugin",
            "spark.metrics.namespace": "${spark.app.name}",
            "spark.executor.memoryOverhead": "2g",
        },
        executor_cores=4,
        num_executors=8,
        executor_memory="8g",
        driver_memory="8g",
    )

    gate = PythonOperator(
        task_id="check_summary",
        python_callable=check_summary,
        op_kwargs={"run_id": RUN_ID, "min_recall": 0.17},
    )

    train >> gate
