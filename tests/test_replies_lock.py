"""Two `sitegen replies` at once: the second waits for the first to finish with the pending store, so no decision is
lost; one that waits too long says another is running and changes nothing; a run killed while holding the lock
does not block the next."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import sitegen.inbox.store
from sitegen.inbox.model import Pending
from sitegen.inbox.store import LOCK, STORE, render_store

from .helpers import FIXED_EPOCH, ROOT, run_cli, wait_until

FIRST = Pending(id="em-1111", source="email", post="hello", name="Laila", email="laila@example.net",
                date="2025-02-03T10:00:00+03:00", text="Thank you!")
SECOND = Pending(id="em-2222", source="email", post="hello", name="Omar", date="2025-02-04T10:00:00+03:00",
                 text="Buy cheap pills")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content" / "posts").mkdir(parents=True)
    (root / "sitegen.yaml").write_text("title: t\nbase_url: https://example.org/\ntimezone: Asia/Riyadh\n")
    (root / "content" / "posts" / "hello.md").write_text("---\ntitle: Hello\ndate: 2025-01-01\n---\nhi\n")
    (root / STORE).parent.mkdir(parents=True)
    (root / STORE).write_text(render_store([FIRST, SECOND]))
    return root


def start(site: Path, *args: str) -> subprocess.Popen[str]:
    """`sitegen replies ARGS` in a process of its own, as a second terminal would run it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": FIXED_EPOCH}
    return subprocess.Popen([sys.executable, "-m", "sitegen", "replies", *args], cwd=site, env=env, text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _holder(site: Path) -> str:
    try:
        return (site / LOCK).read_text().strip()
    except FileNotFoundError:
        return ""


def states(site: Path) -> dict[str, str]:
    return {record["id"]: record["state"] for record in map(json.loads, (site / STORE).read_text().splitlines())}


def test_a_second_run_waits_for_the_first_and_no_decision_is_lost(site: Path) -> None:
    """The first run reads the store and waits on its reader (review); a second rejects another reply meanwhile.
    Without the lock the second would write first and the first's save, made from what it read, would undo it."""
    review = start(site, "review")
    reject: subprocess.Popen[str] | None = None
    try:
        assert wait_until(lambda: (site / LOCK).exists(), timeout=30)
        reject = start(site, "reject", SECOND.id)
        time.sleep(1.5)
        assert reject.poll() is None  # waiting for the review to finish
        out, err = review.communicate("a\nq\n", timeout=60)
        assert review.returncode == 0, err
        assert f"{FIRST.id}: accepted -> content/replies/hello/" in out
        out, err = reject.communicate(timeout=60)
    finally:
        for process in (review, reject):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait()
    assert (reject.returncode, err) == (0, "")
    assert out.startswith(f"{SECOND.id}: rejected")
    assert states(site) == {FIRST.id: "accepted", SECOND.id: "rejected"}
    assert not (site / LOCK).exists()


def test_a_run_that_waits_too_long_says_another_is_running_and_changes_nothing(
        site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitegen.inbox.store, "WAIT", 0.3)
    before = (site / STORE).read_bytes()
    review = start(site, "review")  # another run, sitting at its first question while it holds the lock
    try:
        assert wait_until(lambda: _holder(site) == str(review.pid), timeout=30)
        started = time.monotonic()
        code, out, err = run_cli("replies", "reject", SECOND.id, "--source", site)
        waited = time.monotonic() - started
        assert (code, out) == (1, "")
        assert err == (f"sitegen: another `sitegen replies` is changing the pending replies of this site (process "
                       f"{review.pid}); try again when it has finished (nothing was changed)\n")
        assert 0.3 <= waited < 5
        code, out, _ = run_cli("replies", "--source", site)  # listing reads only: it does not wait
        assert code == 0 and out.startswith(FIRST.id)
    finally:
        review.communicate("q\n", timeout=30)
    assert (site / STORE).read_bytes() == before
    assert run_cli("replies", "reject", SECOND.id, "--source", site)[0] == 0


def test_a_run_killed_while_holding_the_lock_does_not_block_the_next(site: Path) -> None:
    review = start(site, "review")
    try:
        assert wait_until(lambda: _holder(site) == str(review.pid), timeout=30)  # it wrote its id in the lock
    finally:
        review.kill()
        review.wait()
    assert (site / LOCK).exists()  # left behind, but no process holds it
    started = time.monotonic()
    code, _, err = run_cli("replies", "reject", SECOND.id, "--source", site)
    assert (code, err) == (0, "") and time.monotonic() - started < 5
    assert states(site) == {FIRST.id: "pending", SECOND.id: "rejected"}
    assert not (site / LOCK).exists()
