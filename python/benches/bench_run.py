"""viralsim.run from Python against the command line, on the same scenario:
Barabasi-Albert 100,000 people (m = 5), 20,000 runs per strategy, release
builds, alternated, medians.

    python python/benches/bench_run.py [--cli target/release/viralsim] [--rounds 5]

Prints, per round and as medians: the command line's simulate_seconds (its
run.json) and wall time, and from Python the wall time of the run() call
on the scenario and on a prebuilt graph, and run()'s own simulate_seconds.
"""

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import tempfile
import time

import viralsim

ROOT = pathlib.Path(__file__).resolve().parents[2]

SCENARIO = """version = 1
name = "bench-ba-100k"

[graph]
generator = "barabasi-albert"
nodes = 100000
edges_per_node = 5
seed = 1

[content]
stickiness = 0.02

[simulation]
runs = 20000
steps = 30
seed = 1

[[strategy]]
name = "top influencers"
kind = "top-degree"
count = 10

[output]
formats = []
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cli", default=str(ROOT / "target/release/viralsim"))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--threads", type=int, default=None)
    args = ap.parse_args()
    work = pathlib.Path(tempfile.mkdtemp(prefix="viralsim-bench-"))
    path = work / "bench-ba-100k.toml"
    path.write_text(SCENARIO)
    scenario = viralsim.load_scenario(path)
    graph = viralsim.Graph.from_scenario(scenario)
    threads = [] if args.threads is None else ["--threads", str(args.threads)]
    rows = []
    for i in range(args.rounds):
        t = time.perf_counter()
        done = subprocess.run(
            [args.cli, "run", str(path), "--out", str(work / "out"), "--quiet", *threads],
            capture_output=True,
            text=True,
        )
        cli_wall = time.perf_counter() - t
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        run = json.loads((work / "out" / "bench-ba-100k" / "run.json").read_text())
        cli_sim = run["simulate_seconds"]

        t = time.perf_counter()
        r = viralsim.run(scenario, threads=args.threads)
        py_wall = time.perf_counter() - t
        py_sim = r.timings["simulate_seconds"]

        t = time.perf_counter()
        viralsim.run(scenario, graph=graph, threads=args.threads)
        py_graph_wall = time.perf_counter() - t

        row = dict(cli_sim=cli_sim, cli_wall=cli_wall, py_wall=py_wall, py_sim=py_sim, py_graph_wall=py_graph_wall,
                   py_load_seed=r.timings["load_seconds"] + r.timings["seed_seconds"],
                   cli_load_seed=run["load_seconds"] + run["seed_seconds"])
        rows.append(row)
        print(f"round {i + 1}: " + ", ".join(f"{k} {v:.3f}" for k, v in row.items()), flush=True)
    med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    print("medians: " + ", ".join(f"{k} {v:.3f}" for k, v in med.items()))
    # What the Python call costs beyond loading and seeding, against the
    # command line's simulation.
    py_sim_part = med["py_wall"] - med["py_load_seed"]
    print(f"run() minus load+seed: {py_sim_part:.3f} s = {py_sim_part / med['cli_sim'] - 1:+.1%} against the CLI's simulate_seconds")
    print(f"run() on a prebuilt graph, whole call: {med['py_graph_wall']:.3f} s = {med['py_graph_wall'] / med['cli_sim'] - 1:+.1%} against the CLI's simulate_seconds")
    print(f"run()'s own simulate_seconds: {med['py_sim']:.3f} s = {med['py_sim'] / med['cli_sim'] - 1:+.1%}")
    for p in sorted(work.rglob("*"), reverse=True):
        p.rmdir() if p.is_dir() else p.unlink()
    work.rmdir()


if __name__ == "__main__":
    main()
