#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript, or
# spark.worker.resource.gpu.discoveryScript on a standalone worker): prints the GPUs of this
# machine as the JSON resource description Spark expects, e.g.
#   {"name": "gpu", "addresses": ["0", "1"]}
# The addresses are the GPU indices nvidia-smi reports (what CUDA_VISIBLE_DEVICES and RAPIDS use).
# Same logic as the RAPIDS Accelerator's example getGpusResources.sh, written for Arbor: it fails
# (exit 1, a message on stderr) instead of printing an empty list when nvidia-smi is missing or
# lists no GPU, so an executor without a GPU fails at start instead of running CPU-only.
set -euo pipefail

if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "getGpusResources.sh: nvidia-smi is not on the PATH: no GPU is visible" >&2
  exit 1
fi
if ! indices="$(nvidia-smi --query-gpu=index --format=csv,noheader)"; then
  echo "getGpusResources.sh: nvidia-smi --query-gpu=index failed" >&2
  exit 1
fi
addresses=''
while IFS= read -r index; do
  index="${index//[[:space:]]/}"
  [[ -n "$index" ]] || continue
  addresses+="${addresses:+, }\"$index\""
done <<<"$indices"
if [[ -z "$addresses" ]]; then
  echo "getGpusResources.sh: nvidia-smi lists no GPU" >&2
  exit 1
fi
echo "{\"name\": \"gpu\", \"addresses\": [$addresses]}"
