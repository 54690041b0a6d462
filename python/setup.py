"""Builds the uhop extension with the repository's own CMake tree (the module target only), then packages it with
the pure-Python files of python/uhop. Offline: cmake, a C++17 compiler and Debian's dev packages (scripts/
install-deps.sh) are all it needs.

Environment: UHOP_CMAKE_ARGS (extra -D options, space-separated), UHOP_BUILD_JOBS (default 2), UHOP_CMAKE_BUILD_DIR
(the CMake build folder, relative to the repository; default: under setuptools' build_temp). With ccache and a build
folder at the same depth as an existing build (e.g. build/pip next to build/release) and the same options, the
core's objects come from the cache.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent  # the repository: python/ is one of its rooms


def project_version():
    text = (ROOT / "CMakeLists.txt").read_text()
    match = re.search(r"project\(\s*\w+\s+VERSION\s+([0-9.]+)", text)
    return match.group(1) if match else "0.0.0"


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        if not (ROOT / "core").is_dir():
            sys.exit("uhop: setup.py must stay in the repository's python/ folder (it builds ../core with CMake)")
        out_dir = Path(self.get_ext_fullpath(ext.name)).resolve().parent
        build_dir = Path(self.build_temp).resolve() / "cmake"
        if os.environ.get("UHOP_CMAKE_BUILD_DIR"):
            build_dir = ROOT / os.environ["UHOP_CMAKE_BUILD_DIR"]
        args = [
            "-DCMAKE_BUILD_TYPE=Release",
            f"-DPython_EXECUTABLE={sys.executable}",
            "-DUHOP_BUILD_APP=OFF",
            "-DUHOP_BUILD_TESTS=OFF",
            "-DUHOP_BUILD_BENCH=OFF",
            "-DUHOP_BUILD_PYTHON=ON",
            f"-DUHOP_PYTHON_OUTPUT_DIR={out_dir}",
        ] + os.environ.get("UHOP_CMAKE_ARGS", "").split()
        subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build_dir)] + args, check=True)
        jobs = os.environ.get("UHOP_BUILD_JOBS", "2")
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_uhop", "-j", jobs], check=True)


setup(
    name="uhop",
    version=project_version(),
    description="U-Hop Studio's core: dense associative memories and U-Hop's two-stage retrieval, NumPy in and out",
    packages=["uhop"],
    package_dir={"uhop": "uhop"},
    ext_modules=[CMakeExtension("uhop._uhop")],
    cmdclass={"build_ext": CMakeBuild},
    python_requires=">=3.8",
    install_requires=["numpy"],
    zip_safe=False,
)
