"""NumPy's own files through the core's reader (every header version, dtype, order, .npz stored and compressed,
named arrays and labels) and the CLI's .npy outputs back through NumPy."""
import numpy as np
import pytest

import uhop


@pytest.mark.parametrize("dtype", [np.float64, np.float32, "<f8", ">f8", ">f4"])
@pytest.mark.parametrize("order", ["C", "F"])
def test_npy_dtypes_and_orders(tmp_path, dtype, order):
    x = np.asarray(np.random.default_rng(0).random((7, 5)), dtype=dtype, order=order)
    np.save(tmp_path / "a.npy", x)
    loaded, labels = uhop.load_memories(str(tmp_path / "a.npy"))
    assert labels is None
    np.testing.assert_array_equal(loaded, x.astype(np.float64))


@pytest.mark.parametrize("version", [(1, 0), (2, 0), (3, 0)])
def test_header_versions(tmp_path, version):
    x = np.arange(12.0).reshape(3, 4)
    with open(tmp_path / "v.npy", "wb") as f:
        np.lib.format.write_array(f, x, version=version)
    np.testing.assert_array_equal(uhop.load_memories(str(tmp_path / "v.npy"))[0], x)


def test_uint8_images_3d_fortran(tmp_path):
    images = np.random.default_rng(1).integers(0, 256, size=(6, 4, 5), dtype=np.uint8)
    np.save(tmp_path / "img.npy", np.asfortranarray(images))
    x, _ = uhop.load_memories(str(tmp_path / "img.npy"))
    np.testing.assert_allclose(x, images.reshape(6, 20) / 255.0, rtol=1e-15)


@pytest.mark.parametrize("save", [np.savez, np.savez_compressed])
def test_npz_named_arrays_and_labels(tmp_path, save):
    rng = np.random.default_rng(2)
    emb, other = rng.normal(size=(9, 6)), rng.random((3, 6)).astype(np.float32)
    labels = np.array([0, 1, 2] * 3)
    save(tmp_path / "e.npz", emb=emb, other=other, labels=labels)
    x, got = uhop.load_memories(str(tmp_path / "e.npz") + ":emb")
    np.testing.assert_array_equal(x, emb)
    np.testing.assert_array_equal(got, labels)
    with pytest.warns(UserWarning, match=r"'labels' array has shape \(9,\) and dtype <i8 for 3 memories: not used"):
        x, got = uhop.load_memories(str(tmp_path / "e.npz") + ":other")
    np.testing.assert_array_equal(x, other.astype(np.float64))
    assert got is None
    with pytest.raises(uhop.InputError, match="several arrays"):
        uhop.load_memories(str(tmp_path / "e.npz"))
    x, got = uhop.load_memories(str(tmp_path / "e.npz") + ":emb", 3, pick="per-class", seed=1)
    assert sorted(got) == [0, 1, 2]


def test_hostile_npz_from_numpy(tmp_path):
    save_path = tmp_path / "o.npz"
    np.savez(save_path, o=np.array([{"a": 1}, None], dtype=object))
    with pytest.raises(uhop.InputError, match="object arrays"):
        uhop.load_memories(str(save_path))
    # NumPy's own archive with its directory lying about the size (4 GB from a few hundred bytes): refused from the
    # directory, before anything is inflated.
    np.savez_compressed(tmp_path / "z.npz", z=np.zeros((50, 50)))
    data = bytearray((tmp_path / "z.npz").read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 24:central + 28] = (0xFFFFFFF0).to_bytes(4, "little")
    (tmp_path / "bomb.npz").write_bytes(bytes(data))
    with pytest.raises(uhop.InputError, match="zip bomb"):
        uhop.load_memories(str(tmp_path / "bomb.npz"))


def test_cli_npy_outputs_round_trip(cli, memories, tmp_path):
    x, path = memories
    cli("stage1", "--memories", path, "--init", "identity", "--steps", 2, "--lr", 0.1, "--out-w", tmp_path / "w.npy",
        "--log", tmp_path / "log.npy")
    cli("stage1", "--memories", path, "--init", "identity", "--steps", 2, "--lr", 0.1, "--out-w", tmp_path / "w.csv",
        "--log", tmp_path / "log.csv")
    w = np.load(tmp_path / "w.npy")
    assert w.dtype == np.float64 and w.flags["C_CONTIGUOUS"] and w.shape == (16, 16)
    np.testing.assert_array_equal(w, np.loadtxt(tmp_path / "w.csv", delimiter=",", ndmin=2))
    log = np.load(tmp_path / "log.npy")
    csv = np.genfromtxt(tmp_path / "log.csv", delimiter=",", names=True)
    assert log.dtype.names == csv.dtype.names
    for name in log.dtype.names:
        np.testing.assert_array_equal(log[name], csv[name])
    # W back in as --w0 (.npy) and retrieve's --out/--log as .npy.
    cli("stage1", "--memories", path, "--w0", tmp_path / "w.npy", "--steps", 0, "--lr", 0.1, "--out-w",
        tmp_path / "w_again.npy", "--log", tmp_path / "l0.csv")
    np.testing.assert_array_equal(np.load(tmp_path / "w_again.npy"), w)
    cli("retrieve", "--memories", path, "--w", tmp_path / "w.npy", "--target", 3, "--corrupt", "gaussian:0.1",
        "--steps", 2, "--out", tmp_path / "x.npy", "--log", tmp_path / "r.npy")
    assert np.load(tmp_path / "x.npy").shape == (1, 16)
    assert np.load(tmp_path / "r.npy")["nearest"].shape == (3,)


def test_wide_rows_need_allow_large(tmp_path):
    # More than 3600 values per memory from a file's own size (Stage I's d x d W grows as d^2): refused naming the
    # limit and the flag, unless asked for (the CLI's --allow-large).
    np.save(tmp_path / "wide.npy", np.zeros((2, 4000)))
    with pytest.raises(uhop.InputError, match="--allow-large"):
        uhop.load_memories(str(tmp_path / "wide.npy"))
    x, _ = uhop.load_memories(str(tmp_path / "wide.npy"), allow_large=True)
    assert x.shape == (2, 4000)


def test_sweep_takes_allow_large(tmp_path):
    # uhop.sweep loads its memories like load_memories: a file's own size past 3600 values is refused naming the
    # keyword, and taken with allow_large=True (the CLI's sweep --allow-large).
    rng = np.random.default_rng(0)
    np.save(tmp_path / "wide.npy", rng.random((4, 3700)))
    args = dict(vary="M", values=[2], methods=["mhm"], seeds=1, stage1_steps=0, steps=1, noise="gaussian", sigma=0.1)
    with pytest.raises(uhop.InputError, match="allow"):
        uhop.sweep(str(tmp_path / "wide.npy"), **args)
    out = uhop.sweep(str(tmp_path / "wide.npy"), allow_large=True, **args)
    assert list(out["d"]) == [3700]
