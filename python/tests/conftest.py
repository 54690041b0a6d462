"""Shared fixtures: the built module (UHOP_PYTHON_DIR, set by ctest to <build>/python), the CLI binary (UHOP_CLI)
and the source tree (UHOP_SOURCE_DIR), so every binding can be held to the CLI on the same inputs."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

HERE = Path(__file__).resolve().parent
SOURCE_DIR = Path(os.environ.get("UHOP_SOURCE_DIR", HERE.parent.parent))
PYTHON_DIR = os.environ.get("UHOP_PYTHON_DIR")
if PYTHON_DIR:
    sys.path.insert(0, PYTHON_DIR)


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("UHOP_CLI")
    if not path or not Path(path).exists():
        pytest.skip("UHOP_CLI is not set to the uhop binary")

    def run(*args, expect_ok=True):
        result = subprocess.run([path, *map(str, args)], capture_output=True, text=True, timeout=300)
        if expect_ok and result.returncode != 0:
            raise AssertionError(f"uhop {' '.join(map(str, args))} failed: {result.stderr}")
        return result

    return run


@pytest.fixture
def memories(tmp_path):
    """20 memories of d = 16 in [0, 1], saved as x.npy (the CLI reads the very same values)."""
    rng = np.random.default_rng(7)
    x = rng.random((20, 16))
    np.save(tmp_path / "x.npy", x)
    return x, tmp_path / "x.npy"


def read_csv_log(path):
    """A CLI CSV log as a dict of float arrays (empty cells are NaN), like the Python logs."""
    lines = Path(path).read_text().strip().splitlines()
    names = lines[0].split(",")
    rows = [[float(c) if c else np.nan for c in line.split(",")] for line in lines[1:]]
    table = np.array(rows, dtype=float).reshape(len(rows), len(names))
    return {name: table[:, k] for k, name in enumerate(names)}


# Under ctest (UHOP_REQUIRE_ALL=1, set by tests/CMakeLists.txt) a skipped test is a failure: a missing tool or input
# would otherwise pass as green while nothing ran.
REQUIRE_ALL = os.environ.get("UHOP_REQUIRE_ALL") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_ALL and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped, and UHOP_REQUIRE_ALL=1 makes a skip a failure: {reason}"


def pytest_sessionfinish(session, exitstatus):
    """Skips the hook above cannot turn into failures (a whole module skipped while collected) still fail the run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if REQUIRE_ALL and exitstatus == 0 and reporter and reporter.stats.get("skipped"):
        session.exitstatus = 1
