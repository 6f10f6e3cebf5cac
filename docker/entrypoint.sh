#!/usr/bin/env bash
# Runs a Concord command through spark-submit (local[*] unless CONCORD_MASTER is set), in /data (the volume; the
# default output is /data/runs). When Spark's Kubernetes scheduler starts the image as a driver or executor, hand
# over to Spark's own entrypoint (present when the image is built FROM an apache/spark base).
set -euo pipefail
case "${1:-}" in
  driver|executor|driver-py|driver-r)
    [[ -x /opt/entrypoint.sh ]] || { echo "concord: error: this image has no Spark Kubernetes entrypoint; build it with --build-arg BASE_IMAGE=apache/spark:3.5.5-scala2.12-java17-ubuntu" >&2; exit 2; }
    exec /opt/entrypoint.sh "$@" ;;
esac
mkdir -p /tmp/spark-events /tmp/concord-metrics
exec spark-submit --master "${CONCORD_MASTER:-local[*]}" \
  --properties-file /opt/concord/conf/spark-defaults.conf \
  --conf spark.metrics.conf=/opt/concord/conf/metrics.properties \
  --driver-memory "${CONCORD_DRIVER_MEMORY:-2g}" \
  --class io.concord.cli.ConcordMain /opt/concord/concord.jar "$@"
