"""The README's and python/README's Python examples run verbatim: read from the Markdown each time, so an example
that stops working fails here instead of in a reader's first five minutes."""
import os
import re
import subprocess
import sys

import numpy as np
import pytest

from conftest import PYTHON_DIR, SOURCE_DIR


def python_example(markdown, heading):
    """The first ```python block after the line `heading` of the Markdown file."""
    text = (SOURCE_DIR / markdown).read_text()
    start = text.index(f"\n{heading}\n")
    match = re.compile(r"```python\n(.*?)```", re.S).search(text, start)
    assert match, f"no python block after {heading!r} in {markdown}"
    return match.group(1)


@pytest.mark.parametrize("markdown, heading", [("README.md", "## From Python"), ("python/README.md", "## Five lines")])
def test_readme_example_runs(tmp_path, markdown, heading):
    code = python_example(markdown, heading)
    assert len(code.strip().splitlines()) == 5, "the example is promised as five lines"
    # python/README's example loads embeddings.npy from the working folder: 20 embeddings of d = 16.
    np.save(tmp_path / "embeddings.npy", np.random.default_rng(7).random((20, 16)))
    env = dict(os.environ, MPLBACKEND="Agg")
    if PYTHON_DIR:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [PYTHON_DIR, env.get("PYTHONPATH")]))
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    # It prints the last loss, the nearest memory and (python/README) the probe's retrieved fraction.
    printed = result.stdout.split()
    assert len(printed) >= 2 and all(np.isfinite(float(v)) for v in printed), result.stdout
