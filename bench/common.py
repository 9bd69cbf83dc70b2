"""Shared by the benchmarks: the machine, medians and ranges, the result
line, and appending to bench/RESULTS.md."""
import datetime
import os
import platform
import statistics
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
CACHE = BENCH / ".cache"
SHARED = Path(os.environ.get("FABULA_SHARED_DIR", ROOT.parent / "shared"))
BUILD = Path(os.environ.get("FABULA_BUILD_DIR", ROOT / "build"))
CLI = BUILD / "app" / "fabula-cli"
PYTHON = ROOT / ".venv" / "bin" / "python"
RESULTS = BENCH / "RESULTS.md"


def machine():
    cpu = "unknown CPU"
    flags = set()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name") and cpu == "unknown CPU":
                cpu = line.split(":", 1)[1].strip()
            if line.startswith("flags") and not flags:
                flags = set(line.split(":", 1)[1].split())
    except OSError:
        pass
    isa = "avx512_bf16" if "avx512_bf16" in flags else "avx512f" if "avx512f" in flags else \
        "avx2" if "avx2" in flags else "baseline"
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    return f"{cpu}, {os.cpu_count()} cores, {isa}, {mem:.0f} GiB, {platform.system()}"


def summary(values):
    return f"median {statistics.median(values):.4g} (range {min(values):.4g}-{max(values):.4g}, n={len(values)})"


def result(case, fabula_runs, hf_runs, unit, higher_is_better, note=""):
    f, h = statistics.median(fabula_runs), statistics.median(hf_runs)
    ratio = (f / h) if higher_is_better else (h / f)
    print(f"  fabula: {summary(fabula_runs)} {unit}")
    print(f"  hf:     {summary(hf_runs)} {unit}")
    line = f"bench: {case} fabula={f:.4g} hf={h:.4g} ratio={ratio:.3g} unit={unit}"
    print(line, flush=True)
    return {"case": case, "line": line, "note": note}


def record(results, argv):
    if not results:
        return
    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    with open(RESULTS, "a") as f:
        if RESULTS.stat().st_size == 0:
            f.write("# Benchmark results\n\nAppended by `bench/run.py`; ratio > 1 means Fabula is better.\n")
        f.write(f"\n## {stamp} — {machine()}\n\n`{' '.join(argv)}`\n\n```\n")
        for r in results:
            f.write(r["line"] + (f"   # {r['note']}" if r["note"] else "") + "\n")
        f.write("```\n")


def run(cmd, **kw):
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, check=True, **kw)
