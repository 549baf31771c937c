"""Shared fixtures: tiny vaults written from a dict, next to the assertions that use them."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from mdnet.cli import main


def write_vault(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (vault-relative path -> text or bytes) below `root`; return `root`."""
    root.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return root


@pytest.fixture(scope="session", autouse=True)
def example_vault_stays_as_checked_in():
    """Commands that keep a cache are run on copies of the example vault, never on the one in the
    repository: a test that makes its `.mdnet/` folder fails the run."""
    state = Path(__file__).resolve().parent.parent / "example-vault" / ".mdnet"
    existed = state.exists()  # made by `make demo`, not by the tests
    yield
    assert existed or not state.exists(), f"a test wrote {state}; copy the vault to tmp_path first"


class Clock:
    """Distinct modification times in the past, one second apart: what saves a while apart look like."""

    def __init__(self):
        self.ns = 1_700_000_000 * 10**9

    def stamp(self, path: Path) -> None:
        self.ns += 10**9
        os.utime(path, ns=(self.ns, self.ns))


def wait_until(predicate, timeout: float = 10.0) -> bool:
    """Whether `predicate()` holds within `timeout` seconds, asked every 20 ms."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


@pytest.fixture
def make_vault(tmp_path):
    """make_vault({"Contacts/Ana.md": "---\\ntype: contact\\n---\\n"}) -> the vault's Path."""
    counter = iter(range(1_000_000))

    def make(files: dict[str, str | bytes], name: str | None = None) -> Path:
        return write_vault(tmp_path / (name or f"vault{next(counter)}"), files)

    return make


@pytest.fixture
def mdnet(capsys, monkeypatch):
    """Run the command line as a user does, through its error boundary: (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["mdnet", *args])
        with pytest.raises(SystemExit) as e:
            main()
        out, err = capsys.readouterr()
        return e.value.code or 0, out, err

    return run
