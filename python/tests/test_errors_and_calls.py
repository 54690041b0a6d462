"""Bad arguments get a clear TypeError/ValueError naming them; the core's errors keep their one-line message; the
GIL is released while the core computes; Ctrl+C (KeyboardInterrupt) and progress= callbacks cancel long calls."""
import _thread
import threading
import time

import numpy as np
import pytest

import uhop


@pytest.fixture
def x():
    return np.random.default_rng(0).random((12, 8))


@pytest.mark.parametrize("bad,error,message", [
    ([[0.0, 1.0], [1.0, 0.0]], TypeError, "expected a NumPy array"),
    (np.zeros((4, 3), dtype=np.int64), TypeError, "dtype int64 is not supported"),
    (np.zeros((4, 3), dtype=np.complex128), TypeError, "not supported"),
    (np.zeros(5), ValueError, "expected a 2-D array"),
    (np.zeros((3, 0)), ValueError, "empty"),
    (np.array([[0.0, np.nan], [1.0, 2.0]]), ValueError, "NaN"),
    (np.array([[0.0, np.inf], [1.0, 2.0]], dtype=np.float32), ValueError, "infinite"),
])
def test_memories_checked(bad, error, message):
    with pytest.raises(error, match=message):
        uhop.Session(bad)


def test_float32_and_fortran_and_strided_views_are_the_same_memories(x):
    reference = uhop.Session(x, precision="double")
    reference.step(2)
    for variant in (np.asfortranarray(x), x[:, ::-1][:, ::-1], np.repeat(x, 2, axis=1)[:, ::2]):
        s = uhop.Session(variant, precision="double")
        s.step(2)
        np.testing.assert_array_equal(s.w, reference.w)
    single = uhop.Session(x.astype(np.float32), precision="double")
    single.step(2)
    np.testing.assert_allclose(single.w, reference.w, rtol=1e-5)


def test_shapes_of_other_arguments_checked(x):
    with pytest.raises(ValueError, match=r"w: expected shape \(any, 8\), got \(8, 7\)"):
        uhop.retrieve(x, x[0], w=np.eye(8)[:, :7])
    with pytest.raises(ValueError, match="query: expected 8 values"):
        uhop.retrieve(x, np.zeros(9))
    with pytest.raises(ValueError, match="target 12 is outside 0..11"):
        uhop.retrieve(x, x[0], target=12)
    with pytest.raises(ValueError, match=r"init \(W_0\)"):
        uhop.Session(x, init=np.eye(8)[:, :5])
    with pytest.raises(TypeError):
        uhop.Session(x, init=np.eye(8, dtype=np.int32))


def test_core_errors_keep_their_message(x, tmp_path):
    with pytest.raises(uhop.InputError, match="unknown loss 'mean'") as info:
        uhop.Session(x, loss="mean")
    assert isinstance(info.value, ValueError)
    with pytest.raises(uhop.InputError, match=r"nope\.npy: no such file|nope\.npy"):
        uhop.load_memories(str(tmp_path / "nope.npy"))
    (tmp_path / "bad.npy").write_bytes(b"\x93NUMPY\x01\x00\x10\x00{'descr': '|O'} ")
    with pytest.raises(uhop.InputError, match="object arrays"):
        uhop.load_memories(str(tmp_path / "bad.npy"))
    with pytest.raises(uhop.InputError, match="Stage I needs at least 2 memories"):
        uhop.Session(x[:1])


def test_cli_and_python_print_the_same_one_line_message(cli, tmp_path):
    (tmp_path / "h.npy").write_bytes(b"\x93NUMPY\x01\x00\x10\x00{'descr': '|O'} ")
    result = cli("stage1", "--memories", tmp_path / "h.npy", "--init", "identity", "--steps", 1, "--lr", 0.1,
                 "--out-w", tmp_path / "w.csv", "--log", tmp_path / "l.csv", expect_ok=False)
    assert result.returncode == 2
    with pytest.raises(uhop.InputError) as info:
        uhop.load_memories(str(tmp_path / "h.npy"))
    assert result.stderr.strip() == "uhop: error: " + str(info.value)


def slow_session():
    # Big enough that step(n) takes a while: each step sweeps the pairs of 600 memories of d = 200.
    rng = np.random.default_rng(1)
    return uhop.Session(rng.random((600, 200)), precision="double")


def test_gil_released_during_stage1():
    session = slow_session()
    counter = [0]
    stop = threading.Event()

    def count():
        while not stop.is_set():
            counter[0] += 1

    thread = threading.Thread(target=count)
    thread.start()
    try:
        time.sleep(0.05)
        start, t0 = counter[0], time.perf_counter()
        session.step(8)
        during, seconds = counter[0] - start, time.perf_counter() - t0
        # The same thread's pace with the main thread idle (sleeping releases the GIL), over the same time.
        start = counter[0]
        time.sleep(seconds)
        idle = counter[0] - start
    finally:
        stop.set()
        thread.join()
    # Had the call kept the GIL, the counter could only move in the few milliseconds around it (~1% of the call).
    assert during > 0.2 * idle, (during, idle, seconds)


def test_keyboard_interrupt_cancels_a_long_call():
    session = slow_session()
    timer = threading.Timer(0.3, _thread.interrupt_main)
    timer.start()
    t0 = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        session.step(100000)
    timer.join()
    assert time.perf_counter() - t0 < 60
    # The session is still whole: W is the last completed step's and the log has one row per step taken.
    taken = session.steps
    assert 0 <= taken < 100000
    assert len(session.log["step"]) == taken + 1
    session.step(1)
    assert session.steps == taken + 1


def test_progress_callback_sees_fractions_and_cancels(x):
    session = uhop.Session(x, precision="double")
    seen = []
    session.step(3, progress=lambda f: seen.append(f))
    assert seen and all(0.0 <= f <= 1.0 for f in seen) and seen == sorted(seen)
    with pytest.raises(uhop.Cancelled):
        session.step(5, progress=lambda f: False)
    assert session.steps == 3

    def boom(fraction):
        raise ZeroDivisionError("from the callback")

    with pytest.raises(ZeroDivisionError, match="from the callback"):
        session.step(5, progress=boom)
    assert session.steps == 3
    fractions = []
    uhop.sweep("builtin:glyphs", vary="M", values=[5], methods=["mhm"], seeds=1, progress=fractions.append)
    assert fractions


def test_version():
    assert uhop.__version__.count(".") == 2
