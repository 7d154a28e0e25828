"""Start-up time and memory of the ``rangemap`` command, against peers run alongside.

Run: ``.venv/bin/python benchmarks/bench_startup.py [--repeat N]``

Every measure is a fresh process. Each rangemap run is paired with its peer's run (the
two in alternating order), so both see the same machine load; the table gives the
median of each over ``N`` pairs (at least 5) and the ratio of the medians.

- ``rangemap --version`` against ``python -c pass`` (the floor: the interpreter alone)
  and ``python -c "import folium"`` (target: at most 0.15 s).
- ``rangemap demo -o FILE`` against a minimal folium script (``folium.Map``, two
  ``folium.Circle`` and ``save``: target at most 1.3 times its time).
- The peak resident memory of ``rangemap demo`` (``ru_maxrss`` of the child, from
  :func:`os.wait4`) against the folium script's (target at most 150 MiB).

Every command runs once before the timings, so the disk cache is warm, and rangemap's
modules are compiled to bytecode first, as ``pip install`` does (the peers' installed
modules already are; with ``PYTHONDONTWRITEBYTECODE`` set, a run would otherwise
compile rangemap's source every time).
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import rangemap as rangemap_package

#: The peer of ``rangemap demo``: the least folium needs to draw two circles and save.
FOLIUM_SCRIPT = """\
import sys

import folium

m = folium.Map(location=(50.5, 35.5), zoom_start=6)
folium.Circle((50.9077, 34.7981), radius=300_000).add_to(m)  # Sumy
folium.Circle((49.9808, 36.2527), radius=300_000).add_to(m)  # Kharkiv
m.save(sys.argv[1])
"""

MIB = 1024 * 1024
#: The multiplication sign of the ratios.
TIMES = "\u00d7"


@dataclass
class Run:
    """One fresh process: wall time in seconds and peak resident memory in bytes."""

    seconds: float
    max_rss: int


def run(command: Sequence[str]) -> Run:
    """Run ``command`` to completion; return its wall time and the child's peak RSS."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    errors = process.stderr.read().decode() if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{errors}")
    return Run(seconds, usage.ru_maxrss * 1024)  # ru_maxrss is in KiB on Linux


def paired(a: Sequence[str], b: Sequence[str], repeat: int) -> tuple[list[Run], list[Run]]:
    """Run ``a`` and ``b`` ``repeat`` times each, in pairs, alternating which goes first."""
    first: list[Run] = []
    second: list[Run] = []
    for i in range(repeat):
        if i % 2:
            second.append(run(b))
            first.append(run(a))
        else:
            first.append(run(a))
            second.append(run(b))
    return first, second


def median_s(runs: list[Run]) -> float:
    """Median wall time of the runs, in seconds."""
    return statistics.median(r.seconds for r in runs)


def median_mib(runs: list[Run]) -> float:
    """Median peak RSS of the runs, in MiB."""
    return statistics.median(r.max_rss for r in runs) / MIB


def version(name: str) -> str:
    """The installed version of a distribution, or ``-``."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def rangemap_command() -> list[str]:
    """The ``rangemap`` console script next to this interpreter, or ``python -m rangemap``."""
    script = Path(sys.executable).parent / "rangemap"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "rangemap"]


def main() -> None:
    """Print the machine and the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7, help="pairs of runs (at least 5)")
    args = parser.parse_args()
    repeat = max(5, args.repeat)

    rangemap = rangemap_command()
    python = [sys.executable]
    with tempfile.TemporaryDirectory() as folder:
        demo_out = str(Path(folder) / "demo.html")
        peer_out = str(Path(folder) / "peer.html")
        script = Path(folder) / "folium_peer.py"
        script.write_text(FOLIUM_SCRIPT, encoding="utf-8")
        commands = {
            "version": [*rangemap, "--version"],
            "pass": [*python, "-c", "pass"],
            "import folium": [*python, "-c", "import folium"],
            "demo": [*rangemap, "demo", "-o", demo_out],
            "folium script": [*python, str(script), peer_out],
        }
        compileall.compile_dir(Path(rangemap_package.__file__).parent, quiet=1)
        for command in commands.values():  # warm the disk cache
            run(command)
        version_runs, pass_runs = paired(commands["version"], commands["pass"], repeat)
        version_runs2, folium_import_runs = paired(
            commands["version"], commands["import folium"], repeat
        )
        demo_runs, peer_runs = paired(commands["demo"], commands["folium script"], repeat)

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    packages = ", ".join(
        f"{name} {version(name)}"
        for name in ("rangemap", "folium", "jinja2", "numpy", "pandas", "shapely", "pyproj")
    )
    print(
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"load average {load} (1, 5, 15 min) at the end"
    )
    print(f"{packages}; median of {repeat} paired fresh-process runs\n")

    version_s = statistics.median(r.seconds for r in version_runs + version_runs2)
    demo_ratio = median_s(demo_runs) / median_s(peer_runs)
    demo_mib = median_mib(demo_runs)

    def verdict(ok: bool) -> str:
        return "ok" if ok else "**over**"

    rows = [
        (
            "`rangemap --version`, wall",
            f"{median_s(version_runs):.3f} s",
            f"{median_s(pass_runs):.3f} s (`python -c pass`)",
            f"{median_s(version_runs) / median_s(pass_runs):.2f}{TIMES}",
            f"≤ 0.15 s: {version_s:.3f} s, {verdict(version_s <= 0.15)}",
        ),
        (
            "`rangemap --version`, wall",
            f"{median_s(version_runs2):.3f} s",
            f'{median_s(folium_import_runs):.3f} s (`python -c "import folium"`)',
            f"{median_s(version_runs2) / median_s(folium_import_runs):.2f}{TIMES}",
            "",
        ),
        (
            "`rangemap demo -o FILE`, wall",
            f"{median_s(demo_runs):.3f} s",
            f"{median_s(peer_runs):.3f} s (folium Map + 2 Circle + save)",
            f"{demo_ratio:.2f}{TIMES}",
            f"≤ 1.3{TIMES}: {verdict(demo_ratio <= 1.3)}",
        ),
        (
            "`rangemap demo -o FILE`, peak RSS",
            f"{demo_mib:.0f} MiB",
            f"{median_mib(peer_runs):.0f} MiB (same script)",
            f"{demo_mib / median_mib(peer_runs):.2f}{TIMES}",
            f"≤ 150 MiB: {verdict(demo_mib <= 150)}",
        ),
    ]
    print("| measure | rangemap | peer | ratio | target |")
    print("|---|---:|---:|---:|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
