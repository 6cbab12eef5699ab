"""The functions: run a scenario, choose seeds."""

import os
from typing import Any, Dict, List, Optional, Union

from . import _native
from ._graph import Graph
from ._result import RunResult
from ._scenario import Scenario, as_scenario


def run(
    scenario: Union[Scenario, str, os.PathLike, Dict[str, Any]],
    graph: Optional[Graph] = None,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
) -> RunResult:
    """Simulate ``scenario`` (a :class:`Scenario`, a path to a .toml file
    or a dict of its tables) exactly as ``viralsim run`` does and return its
    outputs as a :class:`RunResult`.

    ``graph`` takes the place of the scenario's ``[graph]`` (its
    ``segments``/``people`` files and ``[sweep]`` need the scenario's own);
    ``runs`` and ``seed`` override ``[simulation]`` as ``--runs`` and
    ``--seed`` do; ``threads``: worker threads (default: every core; results
    do not depend on it). The GIL is released while it runs; Ctrl-C stops
    it within a second with ``KeyboardInterrupt``. Bad input raises
    :class:`viralsim.InputError`."""
    s = as_scenario(scenario)
    if graph is not None and not isinstance(graph, Graph):
        raise TypeError(
            f"graph: give a viralsim.Graph (Graph.from_networkx(G), say), not {type(graph).__name__}"
        )
    native = _native.run(
        s._native,
        None if graph is None else graph._native,
        runs,
        seed,
        threads,
    )
    return RunResult(native)


#: Keys of ``choose_seeds`` that belong to the scenario, not the strategy.
_SCENARIO_KEYS = {
    "stickiness": ("content", "stickiness"),
    "half_life": ("content", "half_life"),
    "steps": ("simulation", "steps"),
    "seed": ("simulation", "seed"),
    "model": ("simulation", "model"),
}


def choose_seeds(
    graph: Graph,
    kind: str = "imm",
    count: Optional[int] = 50,
    goal: str = "reached",
    stickiness: float = 0.1,
    steps: int = 30,
    seed: int = 1,
    threads: Optional[int] = None,
    **keys: Any,
) -> List[Union[int, str]]:
    """The people a strategy of ``kind`` seeds on ``graph``, best first, as
    ids: ``imm``, ``celf``, ``top-degree``, ``degree-discount``,
    ``pagerank``, ``coreness``, ``community-spread``, ``explicit``...
    (docs/scenario.md, ``[[strategy]]``). ``count`` people (or give
    ``budget=``), for content of ``stickiness`` spreading ``steps`` steps,
    maximising ``goal`` (``reached`` or ``shared``; celf also others).
    Further ``keys`` are the kind's own (``epsilon``, ``ell``, ``runs``,
    ``damping``, ``segments``, ...) or ``model``, ``half_life``. The graph's
    trust is used (1 on every arc without). Bad keys raise
    :class:`viralsim.InputError` naming them."""
    if not isinstance(graph, Graph):
        raise TypeError(f"graph: give a viralsim.Graph, not {type(graph).__name__}")
    tables: Dict[str, Dict[str, Any]] = {
        "content": {"stickiness": stickiness},
        "simulation": {"steps": steps, "seed": seed, "runs": 2},
        "goal": {"metric": goal},
    }
    strategy: Dict[str, Any] = {"kind": kind}
    if count is not None and "budget" not in keys:
        strategy["count"] = count
    for key, value in keys.items():
        if key in _SCENARIO_KEYS:
            table, name = _SCENARIO_KEYS[key]
            tables[table][name] = value
        else:
            strategy[key] = value
    s = Scenario.from_dict(dict(tables, name="choose-seeds", strategy=[strategy]))
    ids, _gains = _native.choose(s._native, graph._native, threads)
    return ids
