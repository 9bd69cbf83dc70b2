"""The decode benchmark's peers, built once into bench/.cache/peers/ (git-ignored).

ensure_peers() is idempotent: each step checks for its output and skips what exists, so
only the first `bench/run.py decode` pays for the builds (llama.cpp takes 8+ minutes on
2 cores). Run `.venv/bin/python bench/peers.py` to set them up without benchmarking.

- llama.cpp: the source distribution of llama-cpp-python (LLAMA_CPP_PYTHON_VERSION) from
  PyPI (`pip download --no-deps --no-binary :all:`), unpacked; CMake on its
  vendor/llama.cpp, Release, CPU only, GGML_NATIVE on (without AMX where the CPU has it:
  see _llama_isa_flags), targets llama-bench and
  llama-quantize. Its convert_hf_to_gguf.py (and the gguf package vendored beside it)
  converts the checkpoints.
- CTranslate2: its wheel (CTRANSLATE2_VERSION) with pip into a venv of its own
  (peers/ct2-venv, made with --system-site-packages from .venv so the converter finds
  transformers and torch) so .venv stays as it is; ct2-transformers-converter.

Set FABULA_PEERS_WHEELS to a folder that holds the sdist / wheel to skip the download.
"""
import fcntl
import os
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CACHE, PYTHON  # noqa: E402

PEERS = CACHE / "peers"
LLAMA_CPP_PYTHON_VERSION = "0.3.36"
CTRANSLATE2_VERSION = "4.8.5"
LLAMA_SRC = PEERS / f"llama_cpp_python-{LLAMA_CPP_PYTHON_VERSION}"
LLAMA_CPP = LLAMA_SRC / "vendor" / "llama.cpp"
LLAMA_BUILD = PEERS / "llama.cpp-build"
LLAMA_BENCH = LLAMA_BUILD / "bin" / "llama-bench"
LLAMA_QUANTIZE = LLAMA_BUILD / "bin" / "llama-quantize"
CT2_VENV = PEERS / "ct2-venv"
CT2_PYTHON = CT2_VENV / "bin" / "python"
CT2_CONVERTER = CT2_VENV / "bin" / "ct2-transformers-converter"
DOWNLOADS = PEERS / "downloads"


def _sh(cmd, **kw):
    print("  peers: " + " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def _fetch(pattern, pip_args):
    """A local copy of a PyPI file: FABULA_PEERS_WHEELS, earlier downloads, else pip download."""
    for folder in filter(None, [os.environ.get("FABULA_PEERS_WHEELS"), str(DOWNLOADS)]):
        hits = sorted(Path(folder).glob(pattern))
        if hits:
            return hits[0]
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    _sh([PYTHON, "-m", "pip", "download", "--no-deps", "-d", DOWNLOADS] + pip_args)
    hits = sorted(DOWNLOADS.glob(pattern))
    if not hits:
        raise RuntimeError(f"pip download left no {pattern} in {DOWNLOADS}")
    return hits[0]


def _cpu_flags():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def _llama_isa_flags():
    """GGML_NATIVE, except on CPUs with AMX: llama.cpp 0.3.36's AMX q8_0 kernel
    (tinygemm_kernel_amx) died of SIGILL at its first tileloadd on the Intel Xeon
    of 2026-12-02 for any batch of rows (a prompt, or decoding after one), though
    the OS grants AMX. There it is built for the same CPU without AMX: every other
    instruction set of -march=native, its AVX-512 VNNI/BF16 q8_0 and f16 paths
    included."""
    if "amx_tile" not in _cpu_flags():
        return ["-DGGML_NATIVE=ON"]
    no_amx = "-march=native -mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
    return ["-DGGML_NATIVE=OFF", f"-DCMAKE_C_FLAGS={no_amx}", f"-DCMAKE_CXX_FLAGS={no_amx}"]


def ensure_llama_cpp(jobs=2, nice=15):
    """llama-bench and llama-quantize; returns the seconds spent building (0 when present)."""
    if LLAMA_BENCH.exists() and LLAMA_QUANTIZE.exists():
        return 0.0
    t0 = time.time()
    if not (LLAMA_CPP / "CMakeLists.txt").exists():
        sdist = _fetch(f"llama_cpp_python-{LLAMA_CPP_PYTHON_VERSION}.tar.gz",
                       ["--no-binary", ":all:", f"llama-cpp-python=={LLAMA_CPP_PYTHON_VERSION}"])
        with tarfile.open(sdist) as t:
            t.extractall(PEERS, filter="data")
    _sh(["cmake", "-S", LLAMA_CPP, "-B", LLAMA_BUILD, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
         *_llama_isa_flags(), "-DGGML_CUDA=OFF", "-DGGML_METAL=OFF", "-DGGML_VULKAN=OFF", "-DGGML_OPENMP=ON",
         "-DLLAMA_CURL=OFF", "-DLLAMA_BUILD_TESTS=OFF", "-DLLAMA_BUILD_EXAMPLES=OFF", "-DLLAMA_BUILD_SERVER=OFF",
         "-DBUILD_SHARED_LIBS=OFF"])
    _sh(["nice", "-n", nice, "cmake", "--build", LLAMA_BUILD, "-j", jobs, "--target", "llama-bench",
         "llama-quantize"])
    return time.time() - t0


def ensure_ctranslate2():
    """A venv with the CTranslate2 wheel; returns the seconds spent (0 when present)."""
    if CT2_CONVERTER.exists() and subprocess.run([str(CT2_PYTHON), "-c", "import ctranslate2"],
                                                 capture_output=True).returncode == 0:
        return 0.0
    t0 = time.time()
    wheel = _fetch(f"ctranslate2-{CTRANSLATE2_VERSION}-*.whl", [f"ctranslate2=={CTRANSLATE2_VERSION}",
                                                              "--only-binary", ":all:"])
    if not CT2_PYTHON.exists():
        _sh([PYTHON, "-m", "venv", "--system-site-packages", CT2_VENV])
    # .venv's packages are visible through --system-site-packages only when .venv is the base
    # interpreter's environment; a .pth file makes them visible either way.
    site = subprocess.run([str(CT2_PYTHON), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    venv_site = subprocess.run([str(PYTHON), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "fabula_venv.pth").write_text(venv_site + "\n")
    # --no-deps: its dependencies (numpy, pyyaml, setuptools) come from .venv through the .pth file.
    _sh([CT2_PYTHON, "-m", "pip", "install", "--no-deps", "--no-index", wheel])
    return time.time() - t0


def ensure_peers():
    """Both peers; returns {peer: seconds spent building this time}."""
    PEERS.mkdir(parents=True, exist_ok=True)
    # A second benchmark started meanwhile waits here instead of building into the same folders.
    with open(PEERS / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return {"ctranslate2": ensure_ctranslate2(), "llama.cpp": ensure_llama_cpp()}


def convert_script():
    return LLAMA_CPP / "convert_hf_to_gguf.py"


if __name__ == "__main__":
    spent = ensure_peers()
    print("peers ready: " + ", ".join(f"{k} {v:.0f} s" for k, v in spent.items()))
