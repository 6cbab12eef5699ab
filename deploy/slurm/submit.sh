#!/bin/bash
# Submit a scenario as N shards and a merge that waits for all of them:
#
#   deploy/slurm/submit.sh SCENARIO RUNS N [OUT] [RESULTS]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SCENARIO=${1:?usage: submit.sh SCENARIO RUNS N [OUT] [RESULTS]}
RUNS=${2:?usage: submit.sh SCENARIO RUNS N [OUT] [RESULTS]}
N=${3:?usage: submit.sh SCENARIO RUNS N [OUT] [RESULTS]}
OUT=${4:-shards}
RESULTS=${5:-output}

job=$(sbatch --parsable --array=1-"$N" "$HERE/viralsim-array.sbatch" "$SCENARIO" "$RUNS" "$OUT")
sbatch --dependency=afterok:"${job%%;*}" "$HERE/viralsim-merge.sbatch" "$SCENARIO" "$OUT" "$RESULTS"
