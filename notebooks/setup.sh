#!/usr/bin/env bash
# Installs the tslab TypeScript kernel for the notebooks, project-locally: tslab from this folder's own
# lockfile, its kernelspec under notebooks/.jupyter (found through JUPYTER_PATH), run by Debian's
# /usr/bin/python3, the Python that has Jupyter (apt: jupyter-nbconvert python3-nbclient
# python3-ipykernel jupyter-client). Nothing is installed for the user or system-wide.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${FLOWPROOF_JUPYTER_PYTHON:-/usr/bin/python3}
npm ci --no-audit --no-fund --loglevel=error
node_modules/.bin/tslab install --python "$PYTHON" --binary "$PWD/node_modules/.bin/tslab" --prefix "$PWD/.jupyter" >/dev/null
echo "tslab kernel registered in $PWD/.jupyter/share/jupyter/kernels (use JUPYTER_PATH=$PWD/.jupyter/share/jupyter)"
