"""Running `sitegen serve` on a copy of a test site, for the preview tests."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from .conftest import ROOT


class Server:
    """A `sitegen serve` process on a free port; its printed lines are collected."""

    def __init__(self, site: Path, *args: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "serve", "--source", str(site), "--port", "0", *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        line = self.process.stdout.readline() if self.process.stdout else ""
        match = re.search(r"at (http://\S+/)", line)
        if not match:
            self.process.kill()
            rest = self.process.stdout.read() if self.process.stdout else ""
            raise RuntimeError(f"sitegen serve did not start: {line}{rest}")
        self.url = match.group(1)
        self.site = site

    def stop(self) -> str:
        self.process.terminate()
        try:
            out, _ = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, _ = self.process.communicate()
        return out


def edit(path: Path, old: str, new: str) -> None:
    """Change a file as an editor saves it, making sure its modification time moves."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def wait_until(condition, timeout: float = 10.0, interval: float = 0.05) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False
