#!/usr/bin/env bash
# Runs a Concord command through spark-submit (local[*] unless CONCORD_MASTER is set). When Spark's Kubernetes
# scheduler starts this image as a driver or executor, hand over to Spark's own entrypoint.
set -euo pipefail
case "${1:-}" in
  driver|executor|driver-py|driver-r) exec /opt/entrypoint.sh "$@" ;;
esac
exec "$SPARK_HOME/bin/spark-submit" --master "${CONCORD_MASTER:-local[*]}" \
  --properties-file /opt/concord/conf/spark-defaults.conf \
  --conf spark.metrics.conf=/opt/concord/conf/metrics.properties \
  --class io.concord.cli.ConcordMain /opt/concord/concord.jar "$@"
