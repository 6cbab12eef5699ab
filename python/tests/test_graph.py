"""Graphs from networkx, NumPy arrays and files, and back."""

import numpy as np
import pytest

import viralsim
from viralsim import Graph, InputError

nx = pytest.importorskip("networkx")


def same_edges(a, b, attr=None):
    def edges(G):
        out = set()
        for u, v, d in G.edges(data=True):
            key = (u, v) if G.is_directed() else tuple(sorted((u, v), key=str))
            out.add((key, None if attr is None else round(d[attr], 6)))
        return out

    return edges(a) == edges(b)


def test_an_undirected_graph_with_trust_round_trips():
    G = nx.karate_club_graph()
    for i, (u, v) in enumerate(G.edges()):
        G[u][v]["weight"] = (i % 10) / 10
    g = Graph.from_networkx(G, trust="weight")
    assert (g.nodes, g.arcs, g.directed, g.has_trust) == (34, 156, False, True)
    back = g.to_networkx(trust="weight")
    assert type(back) is nx.Graph
    assert sorted(back.nodes) == sorted(G.nodes)
    assert same_edges(back, G, "weight")


def test_a_directed_graph_round_trips_with_one_way_trust():
    G = nx.DiGraph()
    G.add_edge(10, 20, w=0.5)
    G.add_edge(20, 10, w=0.25)
    G.add_edge(20, 30, w=1.0)
    G.add_node(99)  # nobody's friend, still a person
    g = Graph.from_networkx(G, trust="w")
    assert (g.nodes, g.arcs, g.directed) == (4, 3, True)
    back = g.to_networkx(trust="w")
    assert type(back) is nx.DiGraph and set(back.nodes) == {10, 20, 30, 99}
    assert same_edges(back, G, "w")


def test_string_names_and_segments_round_trip():
    G = nx.Graph()
    G.add_edges_from([("alice", "bob"), ("bob", "carol"), ("carol", "dave"), ("dave", "alice"), ("erin", "alice")])
    nx.set_node_attributes(G, {"alice": "north", "bob": "north", "carol": "south", "dave": "south"}, "region")
    g = Graph.from_networkx(G, segment="region")
    assert g.has_segments and not g.has_trust
    back = g.to_networkx(segment="region")
    assert sorted(back.nodes) == sorted(G.nodes)
    assert same_edges(back, G)
    assert dict(back.nodes(data="region")) == dict(G.nodes(data="region"))
    # Names are kept in every output.
    r = viralsim.run(
        {
            "content": {"stickiness": 0.5},
            "simulation": {"runs": 50, "steps": 4},
            "target": {"segments": ["south"]},
            "strategy": [{"kind": "explicit", "nodes": ["erin"]}, {"kind": "top-degree", "count": 1}],
        },
        graph=g,
    )
    assert r.seeds == {"explicit": ["erin"], "top-degree": ["alice"]}
    assert set(r.summary["strategies"][0]["final"]) >= {"reached_in_target", "reached_outside_target"}


def test_mixed_and_negative_names_become_text():
    G = nx.Graph([(-1, 2), (2, "x")])
    g = Graph.from_networkx(G)
    assert sorted(map(str, g.ids())) == ["-1", "2", "x"]
    clash = nx.Graph([(1, "1")])
    with pytest.raises(InputError, match="same name"):
        Graph.from_networkx(clash)


def test_multigraph_edges_merge_and_self_loops_drop():
    G = nx.MultiGraph()
    G.add_edges_from([(0, 1), (0, 1), (1, 1), (1, 2)])
    g = Graph.from_networkx(G)
    assert (g.nodes, g.arcs) == (3, 4)


def test_missing_or_bad_trust_is_named():
    G = nx.Graph([(0, 1), (1, 2)])
    G[0][1]["weight"] = 0.5
    with pytest.raises(InputError, match=r"edge \(1, 2\) has no attribute 'weight'"):
        Graph.from_networkx(G, trust="weight")
    G[1][2]["weight"] = 1.5
    with pytest.raises(InputError, match=r"trust 1.5; trust is a number in \[0, 1\]"):
        Graph.from_networkx(G, trust="weight")
    G[1][2]["weight"] = "high"
    with pytest.raises(InputError, match="not a number"):
        Graph.from_networkx(G, trust="weight")


def test_from_edges_reads_numpy_arrays():
    src = np.array([0, 1, 2, 3], dtype=np.uint32)
    dst = np.array([1, 2, 3, 0], dtype=np.uint32)
    g = Graph.from_edges(src, dst, trust=np.array([0.1, 0.2, 0.3, 0.4]), directed=True)
    assert (g.nodes, g.arcs, g.directed, g.has_trust) == (4, 4, True, True)
    s, t, w = g.edges()
    assert sorted(zip(s.tolist(), t.tolist(), [round(float(x), 6) for x in w])) == [
        (0, 1, 0.1), (1, 2, 0.2), (2, 3, 0.3), (3, 0, 0.4)
    ]
    # Ids that skip numbers are kept as ids, as an edge list keeps them.
    sparse = Graph.from_edges([5, 7], [7, 100])
    assert (sparse.nodes, sparse.ids()) == (3, [5, 7, 100])
    texts = Graph.from_edges(np.array(["b", "a"]), np.array(["c", "c"]), segments={"a": 1, "b": 2})
    assert texts.ids() == ["a", "b", "c"] and texts.has_segments


def test_from_edges_refuses_bad_arrays():
    with pytest.raises(InputError, match="same length"):
        Graph.from_edges([0, 1], [1])
    with pytest.raises(InputError, match="one trust per edge"):
        Graph.from_edges([0, 1], [1, 2], trust=[0.5])
    with pytest.raises(InputError, match=r"trust is a number in \[0, 1\]"):
        Graph.from_edges([0, 1], [1, 2], trust=[0.5, float("nan")])


def test_from_file_reads_an_edge_list(root, tmp_path):
    g = Graph.from_file(root / "data" / "karate.txt")
    assert (g.nodes, g.arcs, g.has_trust) == (34, 156, False)
    G = g.to_networkx()
    assert same_edges(G, nx.karate_club_graph())
    missing = tmp_path / "none.txt"
    with pytest.raises(InputError) as e:
        Graph.from_file(missing)
    assert e.value.file == str(missing)


def test_from_scenario_builds_its_generator(root):
    g = Graph.from_scenario(
        {
            "graph": {"generator": "barabasi-albert", "nodes": 500, "edges_per_node": 2},
            "content": {"stickiness": 0.1},
            "trust": {"distribution": "uniform", "low": 0.2, "high": 0.8},
            "strategy": [{"kind": "random", "count": 1}],
        }
    )
    assert g.nodes == 500 and g.has_trust
    G = g.to_networkx()
    # Trust is drawn arc by arc, so the follows are one-way in trust.
    assert type(G) is nx.DiGraph and G.number_of_edges() == g.arcs
    assert all(0.2 <= w <= 0.8 for _, _, w in G.edges(data="trust"))


def test_a_graph_with_trust_refuses_a_scenario_drawing_trust():
    G = nx.path_graph(5)
    nx.set_edge_attributes(G, 0.5, "w")
    scenario = {
        "content": {"stickiness": 0.5},
        "trust": {"distribution": "constant", "value": 0.3},
        "strategy": [{"kind": "random", "count": 1}],
    }
    with pytest.raises(InputError, match="its own trust") as e:
        viralsim.run(scenario, graph=Graph.from_networkx(G, trust="w"))
    assert e.value.key == "trust.distribution"
    # Without trust of its own the graph takes the scenario's.
    r = viralsim.run(scenario, graph=Graph.from_networkx(G), runs=10)
    assert r.summary["trust"]["distribution"] == "constant"


def test_a_graph_without_segments_refuses_a_target():
    with pytest.raises(InputError, match="graph given has none"):
        viralsim.run(
            {
                "content": {"stickiness": 0.5},
                "target": {"segments": ["a"]},
                "strategy": [{"kind": "random", "count": 1}],
            },
            graph=Graph.from_networkx(nx.path_graph(4)),
        )
