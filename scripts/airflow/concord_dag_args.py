"""Argument building for the Concord Airflow DAG: plain Python, importable without Airflow (and tested so:
scripts/airflow/test_concord_dag_args.py builds the arguments for a sample logical date and runs
`concord validate` on them for every job the DAG offers).

Exit codes of `concord` (and of spark-submit in client mode, which passes the driver's exit code through):
0 committed or already committed, 1 training failed, 2 bad config/usage, 3 bad input data, 4 output not writable.
2 and 3 cannot get better by retrying: `classify` maps them to "fatal" (the DAG raises AirflowFailException, which
Airflow does not retry); anything else non-zero is "retry" (AirflowException: retried per `retries`).
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Dict, List

CONCORD_JAR = "hdfs:///apps/concord/spark-jobs-0.1.0-SNAPSHOT-spark-submit.jar"
OUTPUT = "hdfs:///ml/concord/runs"
DATA = "hdfs:///ml/data/gowalla"

FATAL_EXIT_CODES = frozenset({2, 3})

# The jobs the DAG offers: built-in preset plus the day's data (LightGCN split files under DATA/<ds>/).
JOBS: Dict[str, Dict[str, object]] = {
    "ultragcn": {
        "config": "preset:gowalla",
        "set": {"data.train": DATA + "/{ds}/train.txt", "data.test": DATA + "/{ds}/test.txt"},
        "gate": {"metric": "recall@20", "min": 0.17},
    },
    "als": {
        "config": "preset:gowalla",
        "set": {"data.train": DATA + "/{ds}/train.txt", "data.test": DATA + "/{ds}/test.txt"},
        "gate": {"metric": "recall@20", "min": 0.10},
    },
}

# spark-submit options (client mode: the Airflow worker runs the driver, so the task sees Concord's exit code).
SPARK_SUBMIT_OPTIONS: List[str] = [
    "--master", "yarn", "--deploy-mode", "client",
    "--num-executors", "8", "--executor-cores", "4", "--executor-memory", "8g", "--driver-memory", "8g",
    "--conf", "spark.executor.memoryOverhead=2g",
    "--conf", "spark.eventLog.dir=hdfs:///spark-history",
]


def _ds(logical_date: date | datetime | str) -> str:
    if isinstance(logical_date, str):
        return datetime.fromisoformat(logical_date).date().isoformat()
    if isinstance(logical_date, datetime):
        return logical_date.date().isoformat()
    return logical_date.isoformat()


def run_id(job: str, logical_date) -> str:
    """One run id per job and logical date: retries and re-runs of the day resubmit the same run (a no-op once
    committed, a resume after a crash)."""
    return f"{job}-{_ds(logical_date).replace('-', '')}"


def config_arguments(job: str, logical_date) -> List[str]:
    """--config and --set arguments of the job for the logical date (shared by train and validate)."""
    if job not in JOBS:
        raise KeyError(f"job {job!r} is not offered by the DAG (offered: {', '.join(sorted(JOBS))})")
    spec = JOBS[job]
    ds = _ds(logical_date)
    args = ["--config", str(spec["config"])]
    for key, value in spec["set"].items():
        args += ["--set", f"{key}={str(value).format(ds=ds)}"]
    return args


def train_arguments(job: str, logical_date, output: str = OUTPUT) -> List[str]:
    """Concord's arguments for `train` (the application arguments after the jar)."""
    return ["train", job, *config_arguments(job, logical_date), "--output", output,
            "--run-id", run_id(job, logical_date), "--resume", "--no-progress"]


def validate_arguments(job: str, logical_date) -> List[str]:
    return ["validate", job, *config_arguments(job, logical_date)]


def spark_submit_command(job: str, logical_date, spark_submit: str = "spark-submit",
                         jar: str = CONCORD_JAR, output: str = OUTPUT) -> List[str]:
    return [spark_submit, *SPARK_SUBMIT_OPTIONS, "--class", "io.concord.cli.ConcordMain", jar,
            *train_arguments(job, logical_date, output)]


def classify(exit_code: int) -> str:
    """"ok", "fatal" (config/data error: fail now, no retry) or "retry" (transient: let Airflow retry)."""
    if exit_code == 0:
        return "ok"
    return "fatal" if exit_code in FATAL_EXIT_CODES else "retry"


def summary_path(job: str, logical_date, output: str = OUTPUT) -> str:
    return f"{output}/{run_id(job, logical_date)}/summary.json"


def check_summary(summary: dict, job: str) -> str:
    """The gate on a committed run's summary.json: returns an error message, or "" when the run passes.
    Reads status and metrics[<gate metric>] (summary.json is written before _SUCCESS, in the committed folder)."""
    gate = JOBS[job]["gate"]
    if summary.get("status") != "succeeded":
        return f"{summary.get('runId')}: status {summary.get('status')}"
    value = summary.get("metrics", {}).get(gate["metric"])
    if not isinstance(value, (int, float)):
        return f"{summary.get('runId')}: summary.json has no numeric metrics.{gate['metric']}"
    if value < gate["min"]:
        return f"{summary.get('runId')}: {gate['metric']} {value:.4f} < {gate['min']}"
    return ""
