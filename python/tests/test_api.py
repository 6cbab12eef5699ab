"""Scenarios, results, seeds and bad input."""

import builtins
import math

import numpy as np
import pytest

import viralsim
from viralsim import Graph, InputError, Scenario

SMALL = {
    "graph": {"generator": "erdos-renyi", "nodes": 300, "mean_degree": 6},
    "content": {"stickiness": 0.2},
    "simulation": {"runs": 400, "steps": 8, "seed": 3},
    "strategy": [
        {"name": "hubs", "kind": "top-degree", "count": 3},
        {"name": "anyone", "kind": "random", "count": 3},
    ],
}


def test_a_dict_and_its_toml_are_the_same_scenario(tmp_path):
    text = """version = 1
name = "small"

[graph]
generator = "erdos-renyi"
nodes = 300
mean_degree = 6

[content]
stickiness = 0.2

[simulation]
runs = 400
steps = 8
seed = 3

[[strategy]]
name = "hubs"
kind = "top-degree"
count = 3

[[strategy]]
name = "anyone"
kind = "random"
count = 3
"""
    path = tmp_path / "small.toml"
    path.write_text(text)
    from_file = viralsim.run(viralsim.load_scenario(path))
    from_dict = viralsim.run(Scenario.from_dict(dict(SMALL, name="small")))
    assert from_dict.file("summary.json") == from_file.file("summary.json")
    # run() takes a path or a dict as well.
    assert viralsim.run(str(path)).summary == from_file.summary
    assert viralsim.run(dict(SMALL, name="small")).summary == from_file.summary


def test_the_result_holds_every_table_and_the_runs():
    r = viralsim.run(SMALL)
    s = r.summary
    assert s["runs"] == 400 and [x["name"] for x in s["strategies"]] == ["hubs", "anyone"]
    assert r.best == "hubs"
    assert r.seeds["anyone"] is None and len(r.seeds["hubs"]) == 3
    assert list(r.curves.columns) == ["strategy", "step", "metric", "mean", "std", "p05", "p50", "p95"]
    assert len(r.curves) == 2 * 9 * len(r.metrics("hubs"))
    assert list(r.strategies["strategy"]) == ["hubs", "anyone"]
    assert list(r.seeds_table["strategy"]) == ["hubs"] * 3
    assert "reached" in r.metrics() and "shared" in r.metrics()
    for name in ["hubs", "anyone"]:
        runs = r.runs("reached", name)
        assert runs.shape == (400, 9) and runs.dtype == np.int64
        # Cumulative: never falls, and the shared never outnumber the reached.
        assert (np.diff(runs, axis=1) >= 0).all()
        assert (r.runs("shared", name) <= runs).all()
        final = [x for x in s["strategies"] if x["name"] == name][0]["final"]["reached"]
        assert math.isclose(runs[:, -1].mean(), final["mean"], rel_tol=1e-12)
        assert runs[:, -1].min() == final["min"] if "min" in final else True
    # The curves' means are the runs' means, step by step.
    c = r.curves
    mean = c[(c.strategy == "anyone") & (c.metric == "reached")]["mean"].to_numpy()
    assert np.allclose(mean, r.runs("reached", "anyone").mean(axis=0), rtol=1e-9)
    assert r.run_count == 400
    assert r.timings["simulate_seconds"] > 0 and r.timings["threads"] >= 1


def test_tables_are_dicts_of_lists_without_pandas(monkeypatch):
    real = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("no pandas here")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    r = viralsim.run(SMALL)
    t = r.strategies
    assert isinstance(t, dict) and t["strategy"] == ["hubs", "anyone"]
    assert isinstance(t["reached_mean"][0], float)
    assert isinstance(r.curves["step"][0], int)


def test_write_replaces_the_folder_whole(tmp_path):
    r = viralsim.run(SMALL)
    first = r.write(tmp_path)
    names = sorted(p.rsplit("/", 1)[1] for p in first)
    assert "summary.json" in names and "report.html" in names and "run.json" in names
    assert (tmp_path / "scenario" / "summary.json").read_bytes() == r.file("summary.json")
    again = r.write(tmp_path)
    assert sorted(again) == sorted(first)
    (tmp_path / "scenario" / "my-notes.txt").write_text("mine")
    with pytest.raises(InputError, match="my-notes.txt"):
        r.write(tmp_path)


def test_scenario_file_errors_carry_file_line_and_column(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('version = 1\n\n[content]\nstickiness = 1.5\n\n[graph]\ngenerator = "erdos-renyi"\nnodes = 10\nmean_degree = 2\n\n[[strategy]]\nkind = "random"\ncount = 1\n')
    with pytest.raises(InputError) as e:
        viralsim.load_scenario(path)
    err = e.value
    assert isinstance(err, ValueError)
    assert err.file == str(path) and err.line == 4 and err.column is not None
    assert err.key == "content.stickiness"
    assert str(err).startswith(f"{path}:4:")
    assert "0 to 1" in str(err) or "[0, 1]" in str(err)


def test_a_dict_gets_the_files_message_naming_the_key_path(tmp_path):
    bad = dict(SMALL, content={"stickiness": 1.5})
    with pytest.raises(InputError) as from_dict:
        Scenario.from_dict(bad)
    text = Scenario.from_dict(SMALL).text.replace("stickiness = 0.2", "stickiness = 1.5")
    with pytest.raises(InputError) as from_toml:
        Scenario.from_toml(text, path=tmp_path / "x.toml")
    d, t = from_dict.value, from_toml.value
    assert d.file == "<dict>" and d.line is None and d.key == "content.stickiness"
    assert str(d).startswith("<dict>: content.stickiness: ")
    assert str(d).split(": ", 2)[2] == str(t).split(": ", 2)[2]


@pytest.mark.parametrize(
    "change, key",
    [
        ({"contnet": {"stickiness": 0.1}}, None),
        ({"strategy": [{"kind": "celebrity", "count": 2}]}, "strategy[0].kind"),
        ({"strategy": [{"kind": "random", "count": -1}]}, "strategy[0].count"),
        ({"simulation": {"runs": "many"}}, "simulation.runs"),
    ],
)
def test_bad_keys_of_a_dict_are_named(change, key):
    with pytest.raises(InputError) as e:
        Scenario.from_dict(dict(SMALL, **change))
    assert e.value.file == "<dict>"
    if key is not None:
        assert key.split("[")[0] in str(e.value)


def test_values_without_a_toml_form_are_refused():
    with pytest.raises(InputError, match=r"content.stickiness: None"):
        Scenario.from_dict(dict(SMALL, content={"stickiness": None}))
    with pytest.raises(InputError, match=r"content.stickiness: a object"):
        Scenario.from_dict(dict(SMALL, content={"stickiness": object()}))
    with pytest.raises(TypeError):
        Scenario.from_dict([("content", {})])


def test_numpy_numbers_are_scenario_numbers():
    s = Scenario.from_dict(dict(SMALL, simulation={"runs": np.int64(50), "seed": np.uint8(4)}, content={"stickiness": np.float32(0.25)}))
    assert (s.runs, s.seed) == (50, 4)


def test_bad_run_arguments_raise_clear_errors(root):
    s = Scenario.from_dict(SMALL)
    with pytest.raises(InputError, match="runs: .*2"):
        viralsim.run(s, runs=1)
    with pytest.raises(InputError, match="seed"):
        viralsim.run(s, seed=-1)
    with pytest.raises(InputError, match="threads"):
        viralsim.run(s, threads=0)
    with pytest.raises(TypeError, match="graph"):
        viralsim.run(s, graph="karate.txt")
    with pytest.raises(TypeError, match="scenario"):
        viralsim.run(42)
    with pytest.raises(InputError, match="cannot read scenario"):
        viralsim.load_scenario(root / "no-such.toml")
    r = viralsim.run(s, runs=20)
    with pytest.raises(InputError, match="metric: .*allowed reached"):
        r.runs("likes")
    with pytest.raises(InputError, match="strategy: 'nobody'"):
        r.runs("reached", "nobody")
    with pytest.raises(InputError):
        r.file("passwords.txt")


def test_a_dict_without_a_graph_needs_one_given():
    s = Scenario.from_dict({k: v for k, v in SMALL.items() if k != "graph"})
    with pytest.raises(InputError, match="has no \\[graph\\]: pass graph="):
        viralsim.run(s)
    g = Graph.from_edges(np.arange(0, 99), np.arange(1, 100))
    assert viralsim.run(s, graph=g).summary["graph"]["nodes"] == 100


def test_choose_seeds_on_a_networkx_graph():
    nx = pytest.importorskip("networkx")
    G = nx.karate_club_graph()
    g = Graph.from_networkx(G)
    top = viralsim.choose_seeds(g, kind="top-degree", count=3)
    by_degree = sorted(G.nodes, key=lambda n: (-G.degree(n), n))[:3]
    assert top == by_degree
    # The instructor and the president are the two people to seed.
    assert sorted(viralsim.choose_seeds(g, kind="imm", count=2, stickiness=0.3, goal="shared")) == [0, 33]
    assert sorted(viralsim.choose_seeds(g, kind="celf", count=2, stickiness=0.3, runs=300)) == [0, 33]
    assert len(viralsim.choose_seeds(g, kind="pagerank", count=5, damping=0.9)) == 5
    named = Graph.from_networkx(nx.relabel_nodes(G, {n: f"member-{n}" for n in G}))
    assert viralsim.choose_seeds(named, kind="top-degree", count=2) == ["member-33", "member-0"]
    with pytest.raises(InputError, match="strategy.kind"):
        viralsim.choose_seeds(g, kind="celebrity")
    with pytest.raises(InputError, match="epsilon"):
        viralsim.choose_seeds(g, kind="imm", count=2, epsilon=5)
    with pytest.raises(InputError, match="new seeds in every run"):
        viralsim.choose_seeds(g, kind="random", count=2)
