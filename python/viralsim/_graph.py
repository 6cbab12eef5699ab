"""Networks: from networkx, from NumPy arrays of edges, from an edge-list
file or a scenario's ``[graph]``, and back to networkx."""

import os
from typing import Any, Hashable, Optional, Sequence, Tuple, Union

import numpy as np

from . import _native
from .errors import InputError

#: Whole-number ids the graph keeps as numbers (larger ones, negative ones
#: and any other kind of node become text ids).
_MAX_ID = 2**64 - 1


class Graph:
    """A social network: people, follower arcs ``u -> v`` (``v`` follows
    ``u`` and sees what ``u`` shares; an undirected edge is a mutual follow,
    two arcs), trust per arc in [0, 1] and optionally a segment per person.

    People keep their ids (whole numbers, or text for any other node), which
    every output uses. Self-loops are dropped and repeated edges merged (the
    first one's trust kept), as when a scenario reads an edge list. A graph
    without trust of its own takes the ``[trust]`` of the scenario it runs
    with; one with trust refuses a scenario that draws trust."""

    __slots__ = ("_native",)

    def __init__(self, native: "_native.Graph"):
        self._native = native

    # ------------------------------------------------------------ building

    @classmethod
    def from_networkx(
        cls,
        G: Any,
        trust: Optional[str] = None,
        segment: Optional[str] = None,
    ) -> "Graph":
        """The network of networkx graph ``G`` (``Graph``, ``DiGraph`` or a
        multigraph). ``trust`` names the edge attribute holding each edge's
        trust in [0, 1] (``"weight"``, say; None: trust comes from the
        scenario); ``segment`` the node attribute holding each person's
        segment (a community, a demographic group; people without it have
        none). Node names, ints or strings, are kept."""
        nodes = list(G.nodes())
        index = {n: i for i, n in enumerate(nodes)}
        count = G.number_of_edges()
        if trust is None:
            pairs = G.edges()
            weights = None
        else:
            pairs = G.edges(data=trust)
            weights = np.empty(count, dtype=np.float64)
        src = np.empty(count, dtype=np.uint32)
        dst = np.empty(count, dtype=np.uint32)
        for e, edge in enumerate(pairs):
            src[e] = index[edge[0]]
            dst[e] = index[edge[1]]
            if weights is not None:
                weights[e] = _trust_of(edge[2], trust, edge[0], edge[1])
        names = _names(nodes)
        segments = None
        if segment is not None:
            segments = _segments([G.nodes[n].get(segment) for n in nodes])
        return cls._build(
            len(nodes),
            src,
            dst,
            weights,
            G.is_directed(),
            names,
            segments,
            "networkx",
        )

    @classmethod
    def from_edges(
        cls,
        sources: Sequence,
        targets: Sequence,
        trust: Optional[Sequence[float]] = None,
        directed: bool = False,
        segments: Optional[dict] = None,
    ) -> "Graph":
        """The network of edges ``sources[i] - targets[i]`` (NumPy arrays or
        sequences of ids, whole numbers or text). ``directed=True``: each
        edge is one arc, ``targets[i]`` follows ``sources[i]``; else a
        mutual follow. ``trust``: each edge's trust in [0, 1]. ``segments``:
        a dict from id to segment. People are the ids that appear, numbered
        as an edge list numbers them. Arrays of non-negative whole numbers
        in which every id from 0 to the largest appears are read in place
        (no copy when already uint32)."""
        s = np.asarray(sources)
        t = np.asarray(targets)
        if s.ndim != 1 or t.ndim != 1 or len(s) != len(t):
            raise InputError(
                f"edges: sources and targets are two 1-D sequences of the same length (got shapes {s.shape} and {t.shape})",
                key="edges",
            )
        weights = None
        if trust is not None:
            weights = np.ascontiguousarray(trust, dtype=np.float64)
            if weights.shape != s.shape:
                raise InputError(
                    f"trust: one trust per edge ({len(s)}), got shape {weights.shape}", key="trust"
                )
        names = None
        if (
            s.dtype.kind in "iu"
            and t.dtype.kind in "iu"
            and (len(s) == 0 or (min(s.min(), t.min()) >= 0 and max(s.max(), t.max()) < 2**32 - 1))
        ):
            top = int(max(s.max(), t.max())) + 1 if len(s) else 0
            present = np.zeros(top, dtype=bool)
            present[s] = True
            present[t] = True
            if present.all():
                nodes = top
                src, dst = s, t
            else:
                ids = np.flatnonzero(present)
                renumber = np.cumsum(present, dtype=np.int64) - 1
                nodes = len(ids)
                src, dst = renumber[s], renumber[t]
                names = [int(i) for i in ids]
        else:
            both = np.concatenate([s, t])
            if both.dtype.kind in "iu":
                ids, inverse = np.unique(both, return_inverse=True)
                as_names = [int(i) for i in ids]
            else:
                texts = np.array([_text(x) for x in both], dtype=object)
                ids, inverse = np.unique(texts, return_inverse=True)
                as_names = [str(i) for i in ids]
            nodes = len(ids)
            src, dst = inverse[: len(s)], inverse[len(s):]
            names = _names(as_names)
        seg = None
        if segments is not None:
            if names is None:
                people = range(nodes)
            else:
                people = names
            seg = _segments([segments.get(p, segments.get(str(p))) for p in people])
        return cls._build(nodes, src, dst, weights, directed, names, seg, "edges")

    @classmethod
    def from_file(cls, path: Union[str, os.PathLike], directed: bool = False) -> "Graph":
        """Read an edge list exactly as a scenario's ``[graph] edges``:
        ``u v [trust]`` lines of whole-number ids, or CSV/TSV with a header
        row (``source,target[,trust]``) and text ids."""
        return cls(_native.Graph.from_file(os.fspath(path), directed))

    @classmethod
    def from_scenario(cls, scenario: Any) -> "Graph":
        """The network a scenario's ``[graph]`` builds (generated or read),
        with its segments and the trust its ``[trust]`` draws."""
        from ._scenario import as_scenario

        return cls(_native.Graph.from_scenario(as_scenario(scenario)._native))

    @classmethod
    def _build(cls, nodes, src, dst, weights, directed, names, segments, source) -> "Graph":
        src = np.ascontiguousarray(src, dtype=np.uint32)
        dst = np.ascontiguousarray(dst, dtype=np.uint32)
        address = 0
        if weights is not None:
            weights = np.ascontiguousarray(weights, dtype=np.float64)
            address = weights.ctypes.data if len(weights) else 0
            if len(weights) == 0:
                address = 0
        # The arrays stay referenced here for the whole call.
        native = _native.Graph._from_arrays(
            int(nodes),
            src.ctypes.data,
            dst.ctypes.data,
            len(src),
            address,
            bool(directed),
            names,
            segments,
            source,
        )
        return cls(native)

    # ------------------------------------------------------------ reading

    @property
    def nodes(self) -> int:
        """People in the network."""
        return self._native.nodes

    @property
    def arcs(self) -> int:
        """Follower arcs (an undirected edge counts twice)."""
        return self._native.arcs

    @property
    def directed(self) -> bool:
        """Whether it was built from directed edges."""
        return self._native.directed

    @property
    def has_trust(self) -> bool:
        """Whether it carries trust of its own on every arc."""
        return self._native.has_trust

    @property
    def has_segments(self) -> bool:
        """Whether people have segments."""
        return self._native.has_segments

    def __len__(self) -> int:
        return self._native.nodes

    def __repr__(self) -> str:
        return repr(self._native)

    def edges(self) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every follower arc ``u -> v`` as three arrays: the sharers' and
        followers' positions in :meth:`ids` (uint32) and the arcs' trust
        (float32)."""
        src, dst, trust, _, _, _ = self._native._arrays()
        return (
            np.frombuffer(src, dtype="<u4"),
            np.frombuffer(dst, dtype="<u4"),
            np.frombuffer(trust, dtype="<f4"),
        )

    def ids(self) -> list:
        """People's ids in the graph's order (ints, or strings for text ids)."""
        return self._native._arrays()[3]

    def to_networkx(self, trust: str = "trust", segment: str = "segment") -> Any:
        """The network as networkx: a ``Graph`` when it was built undirected
        and every follow is mutual with the same trust both ways, else a
        ``DiGraph`` with an edge ``u -> v`` per follower arc. Nodes are the
        people's ids; with trust of its own every edge has it as attribute
        ``trust``, and with segments every person with one has attribute
        ``segment``."""
        import networkx as nx

        src, dst, tr, names, segments, mutual = self._native._arrays()
        src = np.frombuffer(src, dtype="<u4")
        dst = np.frombuffer(dst, dtype="<u4")
        tr = np.frombuffer(tr, dtype="<f4")
        undirected = mutual and not self.directed
        G = nx.Graph() if undirected else nx.DiGraph()
        if segments is None:
            G.add_nodes_from(names)
        else:
            G.add_nodes_from(
                (n, {} if s is None else {segment: _segment_value(s)}) for n, s in zip(names, segments)
            )
        keep = src < dst if undirected else np.ones(len(src), dtype=bool)
        us = [names[i] for i in src[keep]]
        vs = [names[i] for i in dst[keep]]
        if self.has_trust:
            G.add_edges_from((u, v, {trust: float(w)}) for u, v, w in zip(us, vs, tr[keep].tolist()))
        else:
            G.add_edges_from(zip(us, vs))
        return G


def _text(x: Any) -> str:
    if isinstance(x, bytes):
        return x.decode()
    return str(x)


def _names(nodes: list) -> Optional[list]:
    """Node names as the native graph takes them: None when they are
    0..n-1 in order, whole numbers, else text."""
    if all(type(n) is int or isinstance(n, np.integer) for n in nodes):
        ints = [int(n) for n in nodes]
        if ints == list(range(len(ints))):
            return None
        if all(0 <= n <= _MAX_ID for n in ints):
            return ints
    texts = [_text(n) for n in nodes]
    if len(set(texts)) != len(texts):
        raise InputError("names: two nodes have the same name written out as text", key="names")
    return texts


def _segments(values: list) -> Tuple[list, list]:
    """Per person an index into the segment names (-1: none), and the
    names (numbers in numeric order before text)."""
    texts = [None if v is None else _text(v) for v in values]
    names = sorted({t for t in texts if t is not None}, key=lambda s: (0, int(s), s) if s.isdigit() else (1, 0, s))
    at = {name: i for i, name in enumerate(names)}
    return [-1 if t is None else at[t] for t in texts], names


def _segment_value(name: str) -> Hashable:
    return int(name) if name.isdigit() else name


def _trust_of(value: Any, attr: str, u: Hashable, v: Hashable) -> float:
    if value is None:
        raise InputError(
            f"trust: edge ({u!r}, {v!r}) has no attribute {attr!r}; give every edge one, or trust=None",
            key="trust",
        )
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InputError(
            f"trust: edge ({u!r}, {v!r}) has {attr}={value!r}, not a number in [0, 1]", key="trust"
        ) from None
