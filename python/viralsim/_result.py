"""What a run returns: the command line's outputs, as Python objects."""

import csv
import io
import json
import os
from typing import Any, Dict, List, Optional, Union

import numpy as np

from .errors import InputError


class RunResult:
    """The outcome of :func:`viralsim.run`: every figure of the command
    line's output files, as Python objects.

    - ``summary``: ``summary.json`` as a dict.
    - ``curves``: ``curves.csv`` (strategy, step, metric, mean, std, p05,
      p50, p95), ``strategies``: ``strategies.csv`` (one row per strategy),
      ``seeds_table``: ``seeds.csv``; pandas DataFrames when pandas is
      installed, else dicts of column lists.
    - ``seeds``: each strategy's seeds (ids), None for one drawing new
      seeds every run.
    - ``runs(metric, strategy)``: a metric run by run and step by step.
    - ``write(out_dir)``: every output file, as ``viralsim run --out``.
    """

    __slots__ = ("_native", "_cache")

    def __init__(self, native: Any):
        self._native = native
        self._cache: Dict[str, Any] = {}

    def file(self, name: str) -> bytes:
        """The bytes of the output file ``name`` (``summary.json``,
        ``curves.csv``, ``strategies.csv``, ``seeds.csv``, ``report.html``,
        ``reach.svg``, ...) exactly as the command line writes it."""
        return self._native._file(name)

    @property
    def summary(self) -> Dict[str, Any]:
        """``summary.json`` as a dict: the scenario, seed, runs, graph and,
        per strategy, its seeds and final reached, shared, ... (mean, std,
        CI, percentiles), and the comparison of the best two."""
        if "summary" not in self._cache:
            self._cache["summary"] = json.loads(self.file("summary.json"))
        return self._cache["summary"]

    @property
    def curves(self) -> Any:
        """``curves.csv``: per strategy, step and metric, the mean, std and
        percentiles over the runs."""
        return self._table("curves.csv")

    @property
    def strategies(self) -> Any:
        """``strategies.csv``: one row per strategy with its cost, final
        reached (mean, CI, percentiles), shared, the difference to the best
        and the rest of the command line's table."""
        return self._table("strategies.csv")

    @property
    def seeds_table(self) -> Any:
        """``seeds.csv``: one row per strategy and seed (rank, id,
        followers, cost, estimated gain)."""
        return self._table("seeds.csv")

    @property
    def seeds(self) -> Dict[str, Optional[List[Union[int, str]]]]:
        """Each strategy's seeds by name, as ids; None for a strategy that
        draws new seeds in every run (``random``)."""
        return {s["name"]: s["seeds"] for s in self.summary["strategies"]}

    @property
    def best(self) -> str:
        """The best strategy by the scenario's goal (``[goal] metric``)."""
        return self._native.strategy_names[self._native.ranked[0]]

    @property
    def run_count(self) -> int:
        """Runs made per strategy."""
        return self._native.run_count

    @property
    def timings(self) -> Dict[str, float]:
        """Seconds spent building the graph, choosing seeds and simulating
        (as ``run.json``), and the worker threads used."""
        return dict(self._native.timings)

    def metrics(self, strategy: Optional[str] = None) -> List[str]:
        """The metrics a strategy's runs record (``reached``, ``shared``,
        ``impressions``, ...), as :meth:`runs` takes them."""
        return self._native.metrics(self._strategy_index(strategy))

    def runs(self, metric: str = "reached", strategy: Optional[str] = None) -> np.ndarray:
        """Metric ``metric`` of every run of ``strategy`` (by name; the best
        one by default), cumulative at every step: an int64 array of shape
        ``(runs, steps + 1)``; row ``r`` is run ``r``, the same run the
        command line's statistics use."""
        data, runs, width = self._native._curves(self._strategy_index(strategy), metric)
        return np.frombuffer(data, dtype="<u4").reshape(runs, width).astype(np.int64)

    def write(self, out_dir: Union[str, os.PathLike] = "output") -> List[str]:
        """Write every output file into ``out_dir/<scenario name>/``, as
        ``viralsim run --out out_dir`` does (the whole set swapped in at
        once, locked against a second writer); returns the paths."""
        return [os.fspath(p) for p in self._native.write(os.fspath(out_dir))]

    def _strategy_index(self, strategy: Optional[str]) -> int:
        names = self._native.strategy_names
        if strategy is None:
            return self._native.ranked[0]
        if strategy not in names:
            raise InputError(
                f"strategy: {strategy!r} is not a strategy of this run; allowed {', '.join(map(repr, names))}",
                key="strategy",
            )
        return names.index(strategy)

    def _table(self, name: str) -> Any:
        if name not in self._cache:
            self._cache[name] = _table(self.file(name))
        return self._cache[name]

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"RunResult({s['scenario']!r}: {len(s['strategies'])} strategies, "
            f"{s['runs']} runs, best {self.best!r})"
        )


def _table(data: bytes) -> Any:
    """CSV bytes as a DataFrame, or without pandas as a dict of columns
    (numbers as int or float, empty cells as None)."""
    try:
        import pandas as pd
    except ImportError:
        pd = None
    if pd is not None:
        return pd.read_csv(io.BytesIO(data), keep_default_na=False, na_values=[""])
    reader = csv.reader(io.StringIO(data.decode("utf-8")))
    header = next(reader, [])
    columns: Dict[str, list] = {h: [] for h in header}
    for row in reader:
        for h, cell in zip(header, row):
            columns[h].append(_cell(cell))
    return columns


def _cell(text: str) -> Any:
    if text == "":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text
