#!/usr/bin/env bash
# Two or more builds of viralsim on one scenario, alternated run by run, so
# that a shared machine's drifting speed falls on all of them alike: each
# repetition runs every build once (in reverse order every other time) and
# reads `simulate_seconds` from its run.json. Prints, per build, the median
# and best simulations per second, and the median of its per-repetition
# speed ratio to the first build. Needs python3.
#
#   benches/ab.sh SCENARIO REPS OLD_BINARY NEW_BINARY [MORE_BINARIES...]
#
# THREADS (default 1) sets --threads. On a busy host, changes under about
# 10% are lost in the noise; count instructions instead (valgrind
# --tool=callgrind), which do not depend on what else the machine does.
set -euo pipefail
[ $# -ge 4 ] || { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
scenario=$(realpath "$1"); reps=$2; shift 2
bins=()
for b in "$@"; do
  [ -x "$b" ] || { echo "not an executable: $b" >&2; exit 2; }
  bins+=("$(realpath "$b")")
done
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
runs=$(python3 -c "import sys,tomllib; print(tomllib.load(open(sys.argv[1],'rb'))['simulation']['runs'])" "$scenario")
[[ $runs =~ ^[0-9]+$ ]] || { echo "$scenario: [simulation] runs must be a number of runs here, not $runs" >&2; exit 2; }
declare -a times
for ((r = 0; r < reps; r++)); do
  order=$(seq 0 $((${#bins[@]} - 1)))
  (( r % 2 )) && order=$(seq $((${#bins[@]} - 1)) -1 0)
  for i in $order; do
    (cd "$(dirname "$scenario")" && "${bins[$i]}" run "$scenario" --out "$out/$i" --threads "${THREADS:-1}" --quiet >/dev/null)
    json=$(find "$out/$i" -name run.json | head -1)
    times[$i]="${times[$i]:-} $(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['simulate_seconds'])" "$json")"
  done
done
python3 - "$runs" "${bins[@]}" -- "${times[@]}" <<'PY'
import statistics as st, sys
args = sys.argv[1:]
runs = float(args[0]); cut = args.index("--")
names, cols = args[1:cut], [[float(x) for x in t.split()] for t in args[cut + 1:]]
for name, col in zip(names, cols):
    rates = [runs / s for s in col]
    ratio = st.median(b / s for b, s in zip(cols[0], col))
    print(f"{name}: median {st.median(rates):,.0f}/s, best {max(rates):,.0f}/s, x{ratio:.3f} the first")
PY
