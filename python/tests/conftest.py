import os
import pathlib
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def cli():
    """The command line built from the same sources: $VIRALSIM_BIN, else
    target/release or target/debug."""
    given = os.environ.get("VIRALSIM_BIN")
    candidates = [given] if given else [ROOT / "target/release/viralsim", ROOT / "target/debug/viralsim"]
    for c in candidates:
        if c and os.access(c, os.X_OK):
            return str(c)
    pytest.fail("no viralsim binary: build it (cargo build --bin viralsim) or set VIRALSIM_BIN")


def run_cli(cli, scenario, out, *flags):
    done = subprocess.run(
        [cli, "run", str(scenario), "--out", str(out), "--quiet", *flags],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return pathlib.Path(out)
