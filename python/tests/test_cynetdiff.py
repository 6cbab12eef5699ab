"""Independent cascade against cynetdiff's on the karate club."""

import math

import numpy as np
import pytest

import viralsim
from viralsim import Graph

nx = pytest.importorskip("networkx")
cynetdiff = pytest.importorskip("cynetdiff.models")

P = 0.1
RUNS = 20_000
SEEDS = [0, 33]


def test_mean_reach_agrees_with_cynetdiff_within_4_standard_errors(root):
    g = Graph.from_file(root / "data" / "karate.txt")
    r = viralsim.run(
        {
            "content": {"stickiness": P},
            # Enough steps for every cascade to end: reach is final.
            "simulation": {"runs": RUNS, "steps": 40, "seed": 11},
            "strategy": [{"kind": "explicit", "nodes": SEEDS}],
        },
        graph=g,
    )
    # cynetdiff's activated people are those who shared.
    ours = r.runs("shared")[:, -1].astype(float)
    assert (r.runs("shared")[:, -2] == ours).all(), "cascades ended"

    G = nx.read_edgelist(root / "data" / "karate.txt", nodetype=int, comments="#")
    n = G.number_of_nodes()
    order = sorted(G.nodes)
    targets = []
    starts = [0]
    for u in order:
        targets.extend(sorted(G.neighbors(u)))
        starts.append(len(targets))
    model = cynetdiff.IndependentCascadeModel(
        np.array(starts[:-1], dtype=np.uint32),
        np.array(targets, dtype=np.uint32),
        activation_prob=P,
        rng=5,
    )
    model.set_seeds(SEEDS)
    theirs = []
    for _ in range(RUNS):
        model.reset_model()
        model.advance_until_completion()
        theirs.append(model.get_num_activated_nodes())
    theirs = np.array(theirs, dtype=float)
    assert n == 34
    se = math.sqrt(ours.var(ddof=1) / RUNS + theirs.var(ddof=1) / RUNS)
    assert abs(ours.mean() - theirs.mean()) <= 4 * se, (ours.mean(), theirs.mean(), se)
    # Each reaches well beyond the seeds: the comparison has something to compare.
    assert ours.mean() > 4
