"""The two notebooks under docs/notebooks execute (jupyter-nbconvert --execute, so they never rot), and the
README's install path works: a fresh venv with --system-site-packages, `pip install --no-build-isolation ./python`
offline from a fresh copy of the sources, then `import uhop` from another folder."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SOURCE_DIR

NOTEBOOKS = sorted((SOURCE_DIR / "docs" / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.stem for n in NOTEBOOKS])
def test_notebook_executes(tmp_path, notebook):
    if not shutil.which("jupyter-nbconvert"):
        pytest.skip("jupyter-nbconvert is not installed (apt install jupyter-nbconvert python3-ipykernel)")
    env = dict(os.environ, MPLBACKEND="Agg")
    if os.environ.get("UHOP_PYTHON_DIR"):
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [os.environ["UHOP_PYTHON_DIR"], env.get("PYTHONPATH")]))
    result = subprocess.run(["jupyter-nbconvert", "--to", "notebook", "--execute",
                             "--ExecutePreprocessor.timeout=600", "--output-dir", str(tmp_path), str(notebook)],
                            capture_output=True, text=True, env=env, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / notebook.name).exists()


def fresh_copy(destination):
    """The sources as a clone would have them: tracked and new (not ignored) files, no build folders."""
    listed = subprocess.run(["git", "-C", str(SOURCE_DIR), "ls-files", "-co", "--exclude-standard", "-z"],
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = SOURCE_DIR / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def test_pip_install_in_fresh_venv(tmp_path):
    if not shutil.which("cmake") or not (SOURCE_DIR / ".git").exists():
        pytest.skip("needs cmake and a git checkout")
    # Under the build folder when ctest gives one, so ccache (base_dir /work) finds the previous run's objects.
    work = Path(os.environ.get("UHOP_PIP_WORK_DIR", tmp_path / "pip"))
    shutil.rmtree(work, ignore_errors=True)
    clone, venv, elsewhere = work / "src", work / "venv", work / "elsewhere"
    fresh_copy(clone)
    elsewhere.mkdir(parents=True)
    python = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable
    subprocess.run([python, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "UHOP_PYTHON_DIR")}
    if shutil.which("ccache"):
        # build/release inside the copy with the main build's options: the same relative paths and flags, so ccache
        # (base_dir /work) serves the core's objects and only what changed is compiled.
        env["UHOP_CMAKE_BUILD_DIR"] = "build/release"
        env["UHOP_CMAKE_ARGS"] = ("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache "
                                  "-DUHOP_NATIVE=ON")
    install = subprocess.run([str(venv / "bin" / "pip"), "install", "--no-build-isolation", "--no-index", "./python"],
                             cwd=clone, env=env, capture_output=True, text=True, timeout=1500)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    check = subprocess.run([str(venv / "bin" / "python3"), "-c",
                            "import uhop, numpy as np; print(uhop.__version__); print(uhop.__file__);"
                            "s = uhop.Session(np.eye(3)); s.step(1); print(s.w.shape)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stderr
    version, location, shape = check.stdout.splitlines()
    assert version.count(".") == 2
    assert str(venv) in location  # the installed copy, not a build folder
    assert shape == "(3, 3)"
    shutil.rmtree(work, ignore_errors=True)
