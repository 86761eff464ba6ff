#!/usr/bin/env bash
# On a GPU machine: install the client in a throwaway virtualenv (with torch when asked) and print what
# the probe records, next to what nvidia-smi, nvcc and torch say themselves, so a person can check that
# cudaVersion is the framework's runtime (not nvidia-smi's "CUDA Version") and cuDNN is torch's.
#   bash clients/python/scripts/gpu-probe-check.sh            # uses the python3 on PATH as is
#   WITH_TORCH=1 bash clients/python/scripts/gpu-probe-check.sh   # also pip-installs torch into the venv
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
venv="$(mktemp -d)/venv"
python3 -m venv --system-site-packages "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "$here"
if [ "${WITH_TORCH:-0}" = 1 ]; then "$venv/bin/pip" install --quiet --disable-pip-version-check torch; fi
echo "== nvidia-smi"; nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || echo "(no nvidia-smi)"
nvidia-smi 2>/dev/null | grep -o "CUDA Version: [0-9.]*" || true
echo "== nvcc"; nvcc --version 2>/dev/null | grep release || echo "(no nvcc)"
echo "== torch"; "$venv/bin/python" -c 'import torch; print(torch.__version__, torch.version.cuda, torch.backends.cudnn.version(), torch.cuda.device_count())' 2>/dev/null || echo "(no torch)"
echo "== framework the probe picked"; "$venv/bin/python" -c 'from modelreg.probe import framework_versions; print(framework_versions())'
echo "== modelreg probe (packages elided)"
"$venv/bin/python" -m modelreg probe | "$venv/bin/python" -c 'import json, sys; f = json.load(sys.stdin); n = len(f.pop("packages")); print(json.dumps(f, indent=2)); print(f"packages: {n}")'
