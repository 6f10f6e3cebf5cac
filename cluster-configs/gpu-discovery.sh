#!/usr/bin/env bash
# Spark GPU resource discovery script (spark.{driver,executor}.resource.gpu.discoveryScript): prints the GPUs this
# host offers as Spark ResourceInformation JSON, e.g. {"name": "gpu", "addresses": ["0","1"]}. Honours
# CUDA_VISIBLE_DEVICES when set (YARN/Kubernetes isolation). Prints an empty address list when no GPU is present.
set -euo pipefail
addresses=()
if [[ -n "${CUDA_VISIBLE_DEVICES:-}" ]]; then
  IFS=',' read -r -a addresses <<<"$CUDA_VISIBLE_DEVICES"
elif command -v nvidia-smi >/dev/null 2>&1; then
  mapfile -t addresses < <(nvidia-smi --query-gpu=index --format=csv,noheader 2>/dev/null | tr -d ' ')
fi
json=""
for a in "${addresses[@]}"; do
  [[ -z "$a" ]] && continue
  json+="${json:+,}\"$a\""
done
printf '{"name": "gpu", "addresses": [%s]}\n' "$json"
