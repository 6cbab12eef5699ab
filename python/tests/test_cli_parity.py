"""The same scenario and seed give the command line's files from Python."""

import json

import pytest

import viralsim
from viralsim import Graph
from conftest import run_cli

# Quick bundled scenarios covering segments and a target, a rival, ads,
# conversions and the optimisers; each with few runs.
SCENARIOS = [
    "karate-club",
    "karate-factions",
    "rival-claim",
    "ads-and-word-of-mouth",
    "usernames",
]


@pytest.mark.parametrize("name", SCENARIOS)
def test_summary_json_is_the_command_lines_byte_for_byte(root, cli, tmp_path, name):
    scenario = root / "scenarios" / f"{name}.toml"
    out = run_cli(cli, scenario, tmp_path, "--runs", "300", "--seed", "7")
    result = viralsim.run(viralsim.load_scenario(scenario), runs=300, seed=7)
    folder = out / json.loads(result.file("summary.json"))["scenario"]
    assert result.file("summary.json") == (folder / "summary.json").read_bytes()
    for name in ["curves.csv", "strategies.csv", "seeds.csv", "scenario.toml"]:
        assert result.file(name) == (folder / name).read_bytes(), name


def without_run_specific(html: bytes) -> list:
    return [line for line in html.split(b"\n") if b"data-run-specific" not in line]


def test_write_writes_the_command_lines_files(root, cli, tmp_path):
    scenario = root / "scenarios" / "karate-factions.toml"
    cli_out = run_cli(cli, scenario, tmp_path / "cli", "--runs", "200") / "karate-factions"
    written = viralsim.run(scenario, runs=200).write(tmp_path / "py")
    py_out = tmp_path / "py" / "karate-factions"
    assert sorted(p.name for p in py_out.iterdir()) == sorted(p.name for p in cli_out.iterdir())
    assert sorted(written) == sorted(str(p) for p in py_out.iterdir())
    for f in cli_out.iterdir():
        mine = (py_out / f.name).read_bytes()
        if f.name == "run.json":
            assert json.loads(mine)["threads"] >= 1
        elif f.name == "report.html":
            assert without_run_specific(mine) == without_run_specific(f.read_bytes())
        else:
            assert mine == f.read_bytes(), f.name


def test_an_edge_list_read_from_python_gives_the_scenarios_numbers(root):
    scenario = viralsim.load_scenario(root / "scenarios" / "karate-club.toml")
    own = viralsim.run(scenario, runs=300)
    given = viralsim.run(scenario, graph=Graph.from_file(root / "data" / "karate.txt"), runs=300)
    assert given.file("summary.json") == own.file("summary.json")


def test_the_karate_club_from_networkx_gives_the_edge_lists_numbers(root):
    nx = pytest.importorskip("networkx")
    path = root / "scenarios" / "karate-factions.toml"
    scenario = viralsim.load_scenario(path)
    own = viralsim.run(scenario, runs=300).summary
    del own["graph"]["source"]
    G = nx.karate_club_graph()
    # The scenario's segments file, read against the networkx graph's ids.
    given = viralsim.run(scenario, graph=Graph.from_networkx(G), runs=300).summary
    assert given["graph"].pop("source") == "networkx"
    assert given == own
    # The same segments as a node attribute, the scenario without [graph].
    for n in G:
        G.nodes[n]["faction"] = "mr-hi" if G.nodes[n]["club"] == "Mr. Hi" else "officer"
    text = scenario.text.replace('[graph]\nedges = "../data/karate.txt"\n', "")
    text = text.replace('segments = "../data/karate-factions.txt"', "")
    assert "[graph]" not in text
    bare = viralsim.Scenario.from_toml(text, path=path)
    given = viralsim.run(bare, graph=Graph.from_networkx(G, segment="faction"), runs=300).summary
    del given["graph"]["source"]
    assert given["graph"].pop("segment_file") is None
    del own["graph"]["segment_file"]
    assert given == own


def test_threads_do_not_change_the_results(root):
    scenario = root / "scenarios" / "karate-club.toml"
    one = viralsim.run(scenario, runs=500, threads=1)
    two = viralsim.run(scenario, runs=500, threads=2)
    assert one.file("summary.json") == two.file("summary.json")
    assert (one.runs("reached") == two.runs("reached")).all()
