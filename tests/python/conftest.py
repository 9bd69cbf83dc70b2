"""Fixtures and helpers shared by the pytest files. ctest passes the paths in
the environment (tests/CMakeLists.txt, FABULA_TEST_ENV); run by hand, the
shared folder defaults to ../shared beside the checkout."""
import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def read_jsonl(path):
    """The rows of a JSON-lines file, blank lines skipped."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _existing_file(var, what):
    value = os.environ.get(var)
    if not value or not Path(value).is_file():
        pytest.fail(f"{var} must name the {what} (ctest sets it); got {value!r}")
    return Path(value)


@pytest.fixture(scope="session")
def shared_dir():
    path = Path(os.environ.get("FABULA_SHARED_DIR") or ROOT.parent / "shared")
    if not (path / "data").is_dir():
        pytest.fail(f"no shared data at {path}/data (set FABULA_SHARED_DIR)")
    return path


@pytest.fixture(scope="session")
def gpt2_dir(shared_dir):
    return shared_dir / "data" / "gpt2"


@pytest.fixture(scope="session")
def cli():
    return _existing_file("FABULA_CLI", "fabula-cli executable")
