"""viralsim from Python: Monte Carlo simulation of word-of-mouth spread over
social networks, on the same engine and with the same outputs as the
``viralsim`` command line.

A scenario (a TOML file, or the same tables as a dict) says what spreads,
how, and which seeding strategies to compare; a graph (from networkx, NumPy
arrays or an edge list) may take the place of its ``[graph]``::

    import networkx as nx
    import viralsim

    scenario = viralsim.Scenario.from_dict({
        "content": {"stickiness": 0.3},
        "simulation": {"runs": 2000, "steps": 10},
        "strategy": [{"kind": "top-degree", "count": 2},
                     {"kind": "random", "count": 2}],
    })
    result = viralsim.run(scenario, graph=viralsim.Graph.from_networkx(nx.karate_club_graph()))
    result.strategies[["strategy", "reached_mean", "reached_ci95_low", "reached_ci95_high"]]

The simulation runs with the GIL released, on every core unless
``threads`` says otherwise; Ctrl-C stops it within a second
(``KeyboardInterrupt``). The same scenario and seed give the command line's
numbers: byte for byte the same ``summary.json``.
"""

from ._graph import Graph
from ._result import RunResult
from ._scenario import Scenario, load_scenario
from ._native import VERSION as __version__
from .errors import Error, InputError
from ._api import choose_seeds, run

__all__ = [
    "Error",
    "Graph",
    "InputError",
    "RunResult",
    "Scenario",
    "choose_seeds",
    "load_scenario",
    "run",
]
