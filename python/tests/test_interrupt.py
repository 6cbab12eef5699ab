"""Ctrl-C stops a long run within a second, and the next run is whole."""

import _thread
import threading
import time

import pytest

import viralsim

LONG = {
    "graph": {"generator": "erdos-renyi", "nodes": 20000, "mean_degree": 10},
    "content": {"stickiness": 0.5},
    # Far more runs than the test waits for, on any machine.
    "simulation": {"runs": 200_000, "steps": 30},
    "strategy": [{"kind": "random", "count": 5}],
}


def test_ctrl_c_stops_a_long_run_within_a_second():
    scenario = viralsim.Scenario.from_dict(LONG)
    timer = threading.Timer(0.5, _thread.interrupt_main)
    started = time.monotonic()
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            viralsim.run(scenario)
    finally:
        timer.cancel()
    stopped = time.monotonic() - started
    assert stopped < 1.5, f"stopped after {stopped:.2f} s"
    # The stop does not outlive the run it stopped.
    quick = viralsim.run(dict(LONG, simulation={"runs": 64, "steps": 30}))
    runs = quick.runs("reached")
    assert (runs[:, 0] == 5).all(), "every run made, none skipped"


def test_other_threads_run_while_a_run_simulates():
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.01)

    t = threading.Thread(target=tick)
    t.start()
    try:
        viralsim.run(dict(LONG, simulation={"runs": 400, "steps": 30}))
    finally:
        stop.set()
        t.join()
    # The GIL is released: the ticker kept ticking through the run.
    assert len(ticks) > 5
