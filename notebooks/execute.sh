#!/usr/bin/env bash
# Executes every notebook headlessly with the project-local tslab kernel; fails if any cell errors or
# a notebook takes more than its 2-minute budget. The notebooks import the BUILT package (../dist), so
# it builds first unless FLOWPROOF_SKIP_BUILD=1 (CI has just built it in `npm ci`).
#   notebooks/execute.sh            execute into a temporary folder (a check; the committed files stay)
#   notebooks/execute.sh --inplace  execute and save the outputs into the notebooks (to commit them)
#   notebooks/execute.sh --inplace 06-entropic-ot-schrodinger-bridge.ipynb   only the notebooks named
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${FLOWPROOF_JUPYTER_PYTHON:-/usr/bin/python3}
BUDGET_SECONDS=120
[ -f .jupyter/share/jupyter/kernels/tslab/kernel.json ] || ./setup.sh
[ "${FLOWPROOF_SKIP_BUILD:-0}" = 1 ] || (cd .. && npm run --silent build)
export JUPYTER_PATH="$PWD/.jupyter/share/jupyter"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# tslab leaves execution_count empty; nbconvert has just run every code cell once, top to bottom, in one
# fresh kernel, so the counts Jupyter would show are 1..N in document order: saved with the notebook.
number_cells() {
  "$PYTHON" - "$1" <<'PY'
import json, sys
path = sys.argv[1]
with open(path, encoding='utf-8') as f:
    nb = json.load(f)
n = 0
for cell in nb['cells']:
    if cell['cell_type'] != 'code':
        continue
    n += 1
    cell['execution_count'] = n
    for out in cell.get('outputs', []):
        if out.get('output_type') == 'execute_result':
            out['execution_count'] = n
with open(path, 'w', encoding='utf-8') as f:
    json.dump(nb, f, indent=1, ensure_ascii=False, sort_keys=True)
    f.write('\n')
PY
}
inplace=0
if [ "${1:-}" = --inplace ]; then inplace=1; shift; fi
if [ $# -gt 0 ]; then notebooks=("$@"); else notebooks=([0-9]*.ipynb); fi
status=0
for nb in "${notebooks[@]}"; do
  start=$SECONDS
  if [ $inplace = 1 ]; then target=(--inplace); else target=(--output-dir "$out"); fi
  if ! "$PYTHON" -m jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=tslab \
    --ExecutePreprocessor.timeout=$BUDGET_SECONDS "${target[@]}" "$nb" >"$out/log.txt" 2>&1; then
    echo "notebook FAILED: $nb"
    tail -n 30 "$out/log.txt"
    status=1
    continue
  fi
  if [ $inplace = 1 ]; then number_cells "$nb"; fi
  took=$((SECONDS - start))
  if [ "$took" -gt "$BUDGET_SECONDS" ]; then
    echo "notebook too slow: $nb took ${took}s (budget ${BUDGET_SECONDS}s)"
    status=1
  else
    echo "notebook ok: $nb (${took}s)"
  fi
done
exit $status
