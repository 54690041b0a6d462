"""Every binding against the CLI on the same inputs: the Python module and `uhop` share the core, so the numbers
must agree to the last bits (tolerances only where the two take different but equivalent product orders)."""
import csv
from pathlib import Path

import numpy as np
import pytest

import uhop
from conftest import read_csv_log


def assert_log_equal(py_log, cli_log, rtol=1e-12):
    assert list(py_log) == list(cli_log)
    for name in cli_log:
        np.testing.assert_allclose(np.asarray(py_log[name], float), cli_log[name], rtol=rtol, atol=1e-14,
                                   equal_nan=True, err_msg=name)


@pytest.mark.parametrize("options", [
    dict(init="gaussian", dim=20, precision="double", seed=3),
    dict(init="identity", precision="single", optimizer="adam", schedule="inv-sqrt"),
    dict(init="orthogonal", precision="double", batch=8, seed=5, loss="max", t=3.0),
])
def test_stage1_matches_cli(cli, memories, tmp_path, options):
    x, path = memories
    flags = []
    for key, value in options.items():
        flags += [f"--{key.replace('_', '-')}", value]
    cli("stage1", "--memories", path, "--steps", 6, "--lr", 0.2, *flags, "--out-w", tmp_path / "w.npy", "--log",
        tmp_path / "log.csv")
    session = uhop.Session(x, lr=0.2, **options)
    session.step(6)
    np.testing.assert_array_equal(session.w, np.load(tmp_path / "w.npy"))
    assert_log_equal(session.log, read_csv_log(tmp_path / "log.csv"), rtol=0)
    assert session.steps == 6


def test_stage1_with_w0_and_probe(cli, memories, tmp_path):
    x, path = memories
    w0 = np.random.default_rng(1).normal(size=(18, 16))
    np.save(tmp_path / "w0.npy", w0)
    cli("stage1", "--memories", path, "--w0", tmp_path / "w0.npy", "--steps", 3, "--lr", 0.1, "--precision", "double",
        "--probe", "gaussian:0.2", "--probe-seed", 4, "--probe-steps", 2, "--probe-beta", 3, "--out-w",
        tmp_path / "w.csv", "--log", tmp_path / "log.npy")
    session = uhop.Session(x, init=w0, lr=0.1, precision="double", probe="gaussian:0.2", probe_seed=4, probe_steps=2,
                           probe_beta=3)
    session.step(3)
    np.testing.assert_array_equal(session.w, np.loadtxt(tmp_path / "w.csv", delimiter=",", ndmin=2))
    log = np.load(tmp_path / "log.npy")  # the structured .npy log has the CSV's columns
    assert_log_equal(session.log, {name: log[name] for name in log.dtype.names}, rtol=0)
    # uhop.probe on W_0 is the log's row 0 (same queries, same batched retrieval).
    p = uhop.probe(x, w=w0, corruption="gaussian:0.2", seed=4, steps=2, beta=3)
    assert p["paper_error"] == pytest.approx(session.log["probe_paper_error"][0], rel=1e-9)
    assert p["retrieved"] == session.log["probe_retrieved"][0]
    assert p["mhm_paper_error"] == pytest.approx(session.log["mhm_probe_paper_error"][0], rel=1e-9)


def test_separation_loss_matches_log_and_gradient_matches_finite_differences(memories):
    x, _ = memories
    w0 = np.random.default_rng(2).normal(size=(16, 16))
    session = uhop.Session(x, init=w0, lr=0.05, precision="double")
    assert uhop.separation_loss(x, w0) == pytest.approx(session.log["loss"][0], rel=1e-12)
    grad = uhop.separation_loss_gradient(x, w0)
    session.step(1)  # plain SGD: W_1 = W_0 - lr grad
    assert session.log["grad_norm"][0] == pytest.approx(np.linalg.norm(grad), rel=1e-10)
    np.testing.assert_allclose(session.w, w0 - 0.05 * grad, rtol=1e-12, atol=1e-14)
    rng = np.random.default_rng(3)
    for _ in range(5):
        i, j = rng.integers(16), rng.integers(16)
        h = 1e-6
        wp, wm = w0.copy(), w0.copy()
        wp[i, j] += h
        wm[i, j] -= h
        numeric = (uhop.separation_loss(x, wp) - uhop.separation_loss(x, wm)) / (2 * h)
        assert grad[i, j] == pytest.approx(numeric, rel=1e-5, abs=1e-8)
    for loss in ("avg", "max"):
        assert uhop.separation_loss(x, w0, loss=loss, t=3.0, precision="single") == pytest.approx(
            uhop.separation_loss(x, w0, loss=loss, t=3.0), rel=1e-4)


@pytest.mark.parametrize("similarity,alpha,top_k", [("kernel", 1.0, None), ("dot", 1.5, None), ("kernel", 2.0, None),
                                                    ("euclidean", 1.0, None), ("kernel", 1.0, 3)])
def test_retrieve_matches_cli(cli, memories, tmp_path, similarity, alpha, top_k):
    x, path = memories
    w = np.random.default_rng(4).normal(size=(16, 16))
    q = np.clip(x[2] + 0.2 * np.random.default_rng(5).normal(size=16), 0, 1)
    np.save(tmp_path / "w.npy", w)
    np.save(tmp_path / "q.npy", q)
    extra = ["--top-k", top_k] if top_k else []
    cli("retrieve", "--memories", path, "--w", tmp_path / "w.npy", "--query", tmp_path / "q.npy", "--target", 2,
        "--similarity", similarity, "--alpha", alpha, "--beta", 2.5, "--steps", 3, *extra, "--out",
        tmp_path / "x.npy", "--log", tmp_path / "log.csv")
    r = uhop.retrieve(x, q, w=w, target=2, similarity=similarity, alpha=alpha, beta=2.5, steps=3, top_k=top_k)
    assert r["x"].shape == (4, 16)
    np.testing.assert_array_equal(r["x"][-1], np.load(tmp_path / "x.npy").ravel())
    cli_log = read_csv_log(tmp_path / "log.csv")
    assert_log_equal({k: r[k] for k in cli_log}, cli_log, rtol=0)
    # A batch gives each query's own run.
    batch = uhop.retrieve(x, np.stack([q, x[5]]), w=w, target=[2, 5], similarity=similarity, alpha=alpha, beta=2.5,
                          steps=3, top_k=top_k)
    assert batch["x"].shape == (2, 4, 16)
    np.testing.assert_array_equal(batch["x"][0], r["x"])
    np.testing.assert_array_equal(batch["error"][0], r["error"])


def test_retrieve_target_defaults_to_nearest_memory(memories):
    x, _ = memories
    r = uhop.retrieve(x, x[7] + 0.01, steps=1, similarity="dot")
    assert r["target"] == 7


def test_landscape_and_project_match_cli(cli, memories, tmp_path):
    x, path = memories
    w = np.random.default_rng(6).normal(size=(16, 16))
    q = x[1] * 0.7 + x[4] * 0.3
    np.save(tmp_path / "w.npy", w)
    np.savetxt(tmp_path / "q.csv", q[None], delimiter=",", fmt="%.17g")
    cli("landscape", "--memories", path, "--w", tmp_path / "w.npy", "--query", tmp_path / "q.csv", "--target", 1,
        "--rival", 4, "--beta", 2, "--alpha", 1.5, "--grid", 9, "--out", tmp_path / "l.csv")
    table = np.loadtxt(tmp_path / "l.csv", delimiter=",", skiprows=1)
    g = uhop.landscape(x, q, 1, 4, w=w, beta=2, alpha=1.5, grid=9)
    np.testing.assert_allclose(g["energy_mhm"].ravel(), table[:, 2], rtol=1e-15)
    np.testing.assert_allclose(g["energy_kernel"].ravel(), table[:, 3], rtol=1e-15)
    np.testing.assert_allclose(np.repeat(g["a"], 9), table[:, 0], rtol=1e-15)
    cli("project", "--memories", path, "--w", tmp_path / "w.npy", "--out", tmp_path / "p.csv")
    p = uhop.project(x, w=w)
    np.testing.assert_allclose(p["points"], np.loadtxt(tmp_path / "p.csv", delimiter=",", skiprows=1)[:, 1:],
                               rtol=1e-12, atol=1e-14)


def test_sweep_matches_cli(cli, tmp_path):
    flags = dict(vary="M", values=[6, 9], methods=["mhm", "uhop"], seeds=1, stage1_steps=3, sigma=0.2)
    cli("sweep", "--memories", "builtin:glyphs", "--vary", "M", "--values", "6,9", "--methods", "mhm,uhop",
        "--seeds", 1, "--stage1-steps", 3, "--sigma", 0.2, "--out", tmp_path / "s")
    with open(tmp_path / "s" / "merged.csv", newline="") as f:
        lines = list(csv.reader(f))
    names, rows = lines[0], lines[1:]
    result = uhop.sweep("builtin:glyphs", **flags)
    assert list(result) == names
    for name in ("method", "worst_memory", "not_retrieved"):  # text: the method and the memories' names
        assert list(result[name]) == [r[names.index(name)] for r in rows], name
    assert all(r[names.index("worst_memory")].startswith("glyph ") for r in rows)
    for k, name in enumerate(names):
        if name in ("method", "worst_memory", "not_retrieved"):
            continue
        cli_values = np.array([float(r[k]) if r[k] else np.nan for r in rows])
        np.testing.assert_allclose(result[name].astype(float), cli_values, rtol=1e-12, equal_nan=True, err_msg=name)


def test_load_memories_matches_cli_sources(cli, tmp_path):
    x, labels = uhop.load_memories("builtin:glyphs", 12, pick="per-class", seed=3)
    assert x.shape == (12, 28 * 28) and labels.shape == (12,)
    np.save(tmp_path / "g.npy", x)
    # The CLI trains on exactly these values when given the .npy, and on the same pick from the built-in set.
    cli("stage1", "--memories", "builtin:glyphs", "--count", 12, "--pick", "per-class", "--seed", 3, "--init",
        "identity", "--steps", 1, "--lr", 0.1, "--out-w", tmp_path / "w1.npy", "--log", tmp_path / "l1.csv")
    cli("stage1", "--memories", tmp_path / "g.npy", "--seed", 3, "--init", "identity", "--steps", 1, "--lr", 0.1,
        "--out-w", tmp_path / "w2.npy", "--log", tmp_path / "l2.csv")
    np.testing.assert_array_equal(np.load(tmp_path / "w1.npy"), np.load(tmp_path / "w2.npy"))
    x2, _ = uhop.load_memories("builtin:glyphs", 5, size="14x14", normalize="unit")
    assert x2.shape == (5, 196)
    np.testing.assert_allclose(np.linalg.norm(x2, axis=1), 1.0)


def test_capacity_matches_the_cli(cli, tmp_path):
    # The capacity lab: the same settings give the CLI's CSV, column by column (the same writer, so exactly).
    cli("capacity", "--model", "exponential", "--patterns", "gaussian", "--dim", 12, "--alphas", "0.1,0.3",
        "--beta", "1,2", "--trials", 20, "--seed", 5, "--out", tmp_path / "cap.csv")
    want = read_csv_log_with_text(tmp_path / "cap.csv")
    got = uhop.capacity(model="exponential", patterns="gaussian", dim=12, alphas=[0.1, 0.3], betas=[1, 2],
                        trials=20, seed=5)
    assert list(got) == list(want)
    for name, column in want.items():
        if column.dtype.kind == "U":
            assert list(got[name]) == list(column), name
        else:
            np.testing.assert_array_equal(got[name], column, err_msg=name)
    assert got["beta"].tolist() == [1, 1, 2, 2] and got["alpha"].tolist() == [0.1, 0.3, 0.1, 0.3]
    # hebbian: degree and beta are empty cells (NaN), as in the CSV; a refusal is the CLI's one-line message
    h = uhop.capacity(model="hebbian", dim=50, alphas=[0.05], trials=5, seed=1)
    assert np.isnan(h["beta"][0]) and np.isnan(h["mean_target_weight"][0]) and h["patterns"][0] == "binary"
    with pytest.raises(uhop.InputError, match="inverse temperature"):
        uhop.capacity(model="hebbian", dim=50, alphas=[0.05], betas=[2], trials=5)


def read_csv_log_with_text(path):
    """A CSV whose first two columns are text (model, patterns) and the rest numbers (empty = NaN)."""
    lines = Path(path).read_text().strip().splitlines()
    names = lines[0].split(",")
    rows = [line.split(",") for line in lines[1:]]
    out = {}
    for k, name in enumerate(names):
        cells = [r[k] for r in rows]
        if name in ("model", "patterns"):
            out[name] = np.array(cells, dtype="U")
        else:
            out[name] = np.array([float(c) if c else np.nan for c in cells])
    return out
