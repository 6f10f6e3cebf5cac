"""CI test of the DAG's argument building (no Airflow needed): for a sample logical date, every job the DAG offers
gets arguments that `concord validate` accepts (exit 0), and the exit-code policy and gate behave as documented.
Run: python3 -m unittest discover -s scripts/airflow (needs the built jars: mvn package)."""
import os
import subprocess
import sys
import unittest
from datetime import date

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import concord_dag_args as args  # noqa: E402

LOGICAL_DATE = date(2026, 11, 28)


class DagArgumentsTest(unittest.TestCase):

    def test_train_arguments_for_a_logical_date(self):
        a = args.train_arguments("ultragcn", LOGICAL_DATE)
        self.assertEqual(a[:2], ["train", "ultragcn"])
        self.assertEqual(a[a.index("--run-id") + 1], "ultragcn-20261128")
        self.assertIn("data.train=hdfs:///ml/data/gowalla/2026-11-28/train.txt", a)
        self.assertIn("--resume", a)
        self.assertEqual(args.run_id("als", "2026-11-28T00:00:00+00:00"), "als-20261128")
        cmd = args.spark_submit_command("als", LOGICAL_DATE)
        self.assertLess(cmd.index("--executor-memory"), cmd.index(args.CONCORD_JAR))
        self.assertEqual(cmd[cmd.index(args.CONCORD_JAR) + 1:], args.train_arguments("als", LOGICAL_DATE))

    def test_every_offered_job_validates(self):
        for job in args.JOBS:
            with self.subTest(job=job):
                r = subprocess.run([os.path.join(ROOT, "scripts", "concord"), *args.validate_arguments(job, LOGICAL_DATE)],
                                   cwd=ROOT, capture_output=True, text=True, timeout=300)
                self.assertEqual(r.returncode, 0, r.stderr[-2000:])
                self.assertIn("# config is valid for job " + job, r.stdout)
                self.assertIn("hdfs:///ml/data/gowalla/2026-11-28/test.txt", r.stdout)

    def test_a_config_error_is_fatal_and_not_retried(self):
        r = subprocess.run([os.path.join(ROOT, "scripts", "concord"), "validate", "ultragcn", "--set", "data.path=x"],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(args.classify(r.returncode), "fatal")
        self.assertEqual(args.classify(3), "fatal")
        self.assertEqual(args.classify(1), "retry")
        self.assertEqual(args.classify(4), "retry")
        self.assertEqual(args.classify(0), "ok")

    def test_gate_reads_status_and_metric(self):
        ok = {"runId": "ultragcn-20261128", "status": "succeeded", "metrics": {"recall@20": 0.18}}
        self.assertEqual(args.check_summary(ok, "ultragcn"), "")
        self.assertIn("0.1200 < 0.17", args.check_summary({**ok, "metrics": {"recall@20": 0.12}}, "ultragcn"))
        self.assertIn("status failed", args.check_summary({**ok, "status": "failed"}, "ultragcn"))
        self.assertIn("no numeric", args.check_summary({**ok, "metrics": {}}, "ultragcn"))
        with self.assertRaises(KeyError):
            args.train_arguments("no-such-job", LOGICAL_DATE)


if __name__ == "__main__":
    unittest.main()
