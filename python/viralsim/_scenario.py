"""Scenarios: a TOML file, TOML text, or the same tables as a dict."""

import os
from typing import Any, Dict, List, Union

from . import _native


class Scenario:
    """A checked scenario: every key of docs/scenario.md, checked as the
    command line checks a file. Bad keys raise :class:`viralsim.InputError`
    carrying ``file``, ``line``, ``column`` and ``key``."""

    __slots__ = ("_native",)

    def __init__(self, native: "_native.Scenario"):
        self._native = native

    @classmethod
    def load(cls, path: Union[str, os.PathLike]) -> "Scenario":
        """Read and check the scenario file at ``path`` (its relative paths
        are resolved against its folder)."""
        return cls(_native.Scenario.load(os.fspath(path)))

    @classmethod
    def from_toml(cls, text: str, path: Union[str, os.PathLike, None] = None) -> "Scenario":
        """Check scenario TOML ``text``. ``path`` names it in messages, and
        its folder is where relative paths are resolved (default: the
        current folder)."""
        return cls(_native.Scenario.from_toml(text, None if path is None else os.fspath(path)))

    @classmethod
    def from_dict(cls, keys: Dict[str, Any]) -> "Scenario":
        """Check a scenario given as a dict of the file's tables and keys::

            Scenario.from_dict({
                "graph": {"generator": "barabasi-albert", "nodes": 10_000, "edges_per_node": 3},
                "content": {"stickiness": 0.1},
                "strategy": [{"kind": "top-degree", "count": 10}],
            })

        The same keys, checks and messages as a file; an error names the
        file as ``<dict>`` and the key path (``strategy[0].count``).
        ``version`` defaults to 1 and ``name`` to ``"scenario"``; relative
        paths are resolved against the current folder. A scenario run with
        ``viralsim.run(..., graph=G)`` may leave ``graph`` out (as may TOML
        text given to :meth:`from_toml`)."""
        if not isinstance(keys, dict):
            raise TypeError(f"from_dict takes a dict, not {type(keys).__name__}")
        return cls(_native.Scenario.from_dict(keys))

    @property
    def name(self) -> str:
        """The scenario's name, which names its output folder."""
        return self._native.name

    @property
    def path(self) -> str:
        """The file it was read from (``<dict>`` for a dict)."""
        return self._native.path

    @property
    def text(self) -> str:
        """The scenario as TOML text (for a dict, the text made from it)."""
        return self._native.text

    @property
    def runs(self) -> int:
        """Runs per strategy (with ``runs = "auto"``, the most it may make)."""
        return self._native.runs

    @property
    def seed(self) -> int:
        """The seed of every random decision of the runs."""
        return self._native.seed

    @property
    def steps(self) -> int:
        """Steps simulated after the seeds share at step 0."""
        return self._native.steps

    @property
    def strategies(self) -> List[str]:
        """The strategies' names, in the scenario's order."""
        return self._native.strategies

    def __repr__(self) -> str:
        return repr(self._native)


def load_scenario(path: Union[str, os.PathLike]) -> Scenario:
    """Read and check the scenario file at ``path``; the same as
    :meth:`Scenario.load`."""
    return Scenario.load(path)


def as_scenario(scenario: Union[Scenario, str, os.PathLike, Dict[str, Any]]) -> Scenario:
    """A :class:`Scenario` from a scenario, a file path or a dict."""
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, dict):
        return Scenario.from_dict(scenario)
    if isinstance(scenario, (str, os.PathLike)):
        return Scenario.load(scenario)
    raise TypeError(
        f"scenario: give a viralsim.Scenario, a path to a .toml file or a dict, not {type(scenario).__name__}"
    )
