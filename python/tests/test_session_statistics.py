"""Session.statistics and Session.normalize_rows() against `uhop stage1` on the same inputs: the statistics are the
CLI log's last row (which the CLI always fills), and normalize_rows() is what --normalize-rows does after step N."""
import numpy as np
import pytest

import uhop
from conftest import read_csv_log

STAT_COLUMNS = ("delta_phi_min", "delta_phi_mean", "delta_phi_max", "r_phi", "m_phi", "bound_margin_min")
OPTIONS = dict(init="gaussian", dim=20, seed=3, lr=0.2)


def cli_flags(options):
    flags = []
    for key, value in options.items():
        flags += [f"--{key.replace('_', '-')}", value]
    return flags


def assert_stats_equal(stats, log, row, rtol=0.0):
    for name in STAT_COLUMNS:
        np.testing.assert_allclose(stats[name], log[name][row], rtol=rtol, atol=0, err_msg=name)


@pytest.mark.parametrize("precision", ["single", "double"])
def test_statistics_are_the_cli_logs_last_row(cli, memories, tmp_path, precision):
    x, path = memories
    options = dict(OPTIONS, precision=precision, stats_every=2)  # row 5 is filled only because it is the last
    cli("stage1", "--memories", path, "--steps", 5, *cli_flags(options), "--out-w", tmp_path / "w.npy", "--log",
        tmp_path / "log.csv")
    session = uhop.Session(x, **options)
    session.step(5)
    stats = session.statistics
    log = read_csv_log(tmp_path / "log.csv")
    assert stats["step"] == 5
    assert_stats_equal(stats, log, -1)
    # The per-memory margins behind the summary: one per memory, their min/mean/max the summary's.
    delta = stats["delta_phi"]
    assert delta.shape == (len(x),)
    assert delta.min() == stats["delta_phi_min"] and delta.max() == stats["delta_phi_max"]
    assert delta.mean() == pytest.approx(stats["delta_phi_mean"], rel=1e-12)


@pytest.mark.parametrize("precision", ["single", "double"])
def test_normalize_rows_is_the_cli_flag(cli, memories, tmp_path, precision):
    x, path = memories
    options = dict(OPTIONS, precision=precision)
    cli("stage1", "--memories", path, "--steps", 4, *cli_flags(options), "--normalize-rows", "--out-w",
        tmp_path / "w.npy", "--log", tmp_path / "log.csv")
    session = uhop.Session(x, **options)
    session.step(4)
    session.normalize_rows()
    w = np.load(tmp_path / "w.npy")
    np.testing.assert_array_equal(session.w, w)
    np.testing.assert_allclose(np.linalg.norm(session.w, axis=1), 1, rtol=1e-6 if precision == "single" else 1e-12)
    # Not logged as a step: the log is the CLI's, whose last row describes W before the normalization.
    log = read_csv_log(tmp_path / "log.csv")
    np.testing.assert_array_equal(session.log["step"], log["step"])
    assert_stats_equal({name: session.log[name][-1] for name in STAT_COLUMNS}, log, -1)
    # The statistics are now the normalized W's: the CLI's row 0 when it starts from that W.
    cli("stage1", "--memories", path, "--w0", tmp_path / "w.npy", "--steps", 0, "--lr", 0.2, "--precision",
        precision, "--out-w", tmp_path / "w2.npy", "--log", tmp_path / "log2.csv")
    assert_stats_equal(session.statistics, read_csv_log(tmp_path / "log2.csv"), 0, rtol=1e-12)


def test_normalize_rows_flag_says_when_to_call_it(memories):
    x, _ = memories
    with pytest.raises(ValueError, match=r"call session\.normalize_rows\(\)"):
        uhop.Session(x, normalize_rows=True)
