"""Writes: file modes and symbolic links kept, every output checked first, no debris.

The crash tests kill real processes with SIGKILL in the middle of a write and check
that the old file is intact and that the next write clears what the dead one left.
"""

from __future__ import annotations

import os
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rangemap._io import (
    destination_problem,
    remove_stale,
    staging_folder,
    write_all,
    write_atomic,
)
from rangemap.cli import main
from rangemap.errors import InputError
from rangemap.reach import Reach
from rangemap.scene import RangeMap

ROOT = Path(__file__).resolve().parents[1]
TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.rangemap-(?P<pid>\d+)\.[a-z0-9_]{8}\.tmp$")
STAGING_NAME = re.compile(r"^\.rangemap-(?P<pid>\d+)-[a-z0-9_]{8}$")
OLD = b"<p>the old map, complete</p>\n" * 1000

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes, links, signals")


def _dead_pid() -> int:
    """The id of a process that has exited (and been reaped)."""
    return int(_run(["-c", "import os; print(os.getpid())"], _env()).stdout)


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``python ARGS`` to completion; it must succeed."""
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, check=True, timeout=120, env=env
    )


def _env(tmpdir: Path | None = None) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if tmpdir is not None:
        env["TMPDIR"] = str(tmpdir)
    return env


# --- modes and links ----------------------------------------------------------------------


def test_existing_mode_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "private.html"
    target.write_bytes(OLD)
    target.chmod(0o600)
    write_atomic(target, "<p>new</p>")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    target.chmod(0o640)
    write_atomic(target, "<p>newer</p>")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text() == "<p>newer</p>"


def test_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    mask = os.umask(0o027)
    try:
        write_atomic(tmp_path / "new.html", "<p>new</p>")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.html").stat().st_mode) == 0o640


def test_cli_keeps_the_mode_of_a_private_map(tmp_path: Path) -> None:
    target = tmp_path / "kyiv.geojson"
    target.write_bytes(OLD)
    target.chmod(0o600)
    assert main(["map", "--distance", "100 km", "--from", "Kyiv", "-o", str(target)]) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes() != OLD


def test_a_symlink_is_written_through(tmp_path: Path) -> None:
    published = tmp_path / "published"
    published.mkdir()
    real = published / "map.html"
    real.write_bytes(OLD)
    real.chmod(0o644)
    link = tmp_path / "map.html"
    link.symlink_to(Path("published") / "map.html")  # relative, as `ln -s` makes them
    assert write_atomic(link, "<p>new</p>") == link
    assert link.is_symlink()
    assert link.readlink() == Path("published") / "map.html"
    assert real.read_text() == "<p>new</p>"
    assert stat.S_IMODE(real.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html", "published"]
    assert [p.name for p in published.iterdir()] == ["map.html"]


def test_a_chain_of_links_and_a_dangling_link(tmp_path: Path) -> None:
    real = tmp_path / "real.html"
    real.write_bytes(OLD)
    (tmp_path / "middle.html").symlink_to(real)
    (tmp_path / "top.html").symlink_to(tmp_path / "middle.html")
    write_atomic(tmp_path / "top.html", "chained")
    assert real.read_text() == "chained"
    assert (tmp_path / "top.html").is_symlink()
    assert (tmp_path / "middle.html").is_symlink()
    dangling = tmp_path / "later.html"
    dangling.symlink_to(tmp_path / "not-yet.html")
    write_atomic(dangling, "created")
    assert dangling.is_symlink()
    assert (tmp_path / "not-yet.html").read_text() == "created"


def test_links_to_folders_and_loops_are_refused(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "to-folder.html").symlink_to(tmp_path / "folder")
    with pytest.raises(InputError, match=r"to-folder\.html' is a folder"):
        write_atomic(tmp_path / "to-folder.html", "x")
    (tmp_path / "a.html").symlink_to(tmp_path / "b.html")
    (tmp_path / "b.html").symlink_to(tmp_path / "a.html")
    with pytest.raises(InputError, match=r"a\.html' is a loop of symbolic links"):
        write_atomic(tmp_path / "a.html", "x")
    assert destination_problem(tmp_path / "missing" / "x.html") is not None
    assert destination_problem(tmp_path / "fine.html") is None


# --- every output checked before any is written -------------------------------------------


def test_write_all_writes_nothing_unless_all_can_be(tmp_path: Path) -> None:
    first = tmp_path / "map.html"
    first.write_bytes(OLD)
    (tmp_path / "map.embed.html").mkdir()
    with pytest.raises(InputError, match=r"map\.embed\.html' is a folder"):
        write_all([(first, "new map"), (tmp_path / "map.embed.html", "snippet")])
    assert first.read_bytes() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.embed.html", "map.html"]


def test_save_checks_the_embed_path_before_writing_the_map(tmp_path: Path) -> None:
    target = tmp_path / "kyiv.html"
    target.write_bytes(OLD)
    (tmp_path / "kyiv.embed.html").mkdir()
    scene = RangeMap(title="Kyiv").add(Reach.from_distance(100_000, "Kyiv"))
    with pytest.raises(InputError, match=r"embed: cannot write the snippet, '.*kyiv\.embed\.html'"):
        scene.save(target, embed=True)
    assert target.read_bytes() == OLD


def test_cli_embed_into_a_folder_leaves_the_map_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "kyiv.html"
    target.write_bytes(OLD)
    (tmp_path / "kyiv.embed.html").mkdir()
    code = main(["map", "--distance", "100 km", "--from", "Kyiv", "-o", str(target), "--embed"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert err.startswith("rangemap: error: --embed: cannot write the snippet, ")
    assert "kyiv.embed.html' is a folder" in err
    assert len(err.strip().splitlines()) == 1
    assert target.read_bytes() == OLD


def test_cli_embed_writes_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "kyiv.html"
    code = main(["map", "--distance", "100 km", "--from", "Kyiv", "-o", str(target), "--embed"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert out.split() == [str(target), str(tmp_path / "kyiv.embed.html")]
    assert "<iframe" in (tmp_path / "kyiv.embed.html").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kyiv.embed.html", "kyiv.html"]


# --- temporary files and staging folders --------------------------------------------------


def test_staging_folder_is_named_and_removed(tmp_path: Path) -> None:
    with staging_folder() as folder:
        match = STAGING_NAME.match(folder.name)
        assert match is not None
        assert int(match.group("pid")) == os.getpid()
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        (folder / "work.gpkg").write_bytes(b"x")
    assert not folder.exists()


def test_only_rangemaps_own_dead_debris_is_removed(tmp_path: Path) -> None:
    dead, alive = _dead_pid(), os.getppid()
    keep = [
        f".map.html.rangemap-{alive}.abcd1234.tmp",  # a running writer's
        f".map.html.rangemap-{os.getpid()}.abcd1234.tmp",  # our own
        f".map.html.rangemap-{dead}.abcd12.tmp",  # not rangemap's pattern
        f"map.html.rangemap-{dead}.abcd1234.tmp",  # not hidden
        f".map.html.{dead}.abcd1234.tmp",  # no mark
        ".notes.tmp",
        "map.html",
        f".rangemap-{alive}-abcd1234",
        f".rangemap-{dead}-abcd1234-extra",
    ]
    for name in keep:
        if name.startswith(".rangemap-"):
            (tmp_path / name).mkdir()
        else:
            (tmp_path / name).write_text("keep")
    link = tmp_path / f".evil.rangemap-{dead}.abcd1234.tmp"
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    link.symlink_to(victim)
    gone_file = tmp_path / f".map.html.rangemap-{dead}.abcd1234.tmp"
    gone_file.write_text("half a map")
    gone_dir = tmp_path / f".rangemap-{dead}-abcd1234"
    gone_dir.mkdir()
    (gone_dir / "map.gpkg").write_text("half a package")
    removed = remove_stale(tmp_path)
    assert sorted(removed) == sorted([gone_file, gone_dir])
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([*keep, link.name, "victim.txt"])
    assert victim.read_text() == "keep"


def test_next_write_clears_dead_temporaries(tmp_path: Path) -> None:
    stale = tmp_path / f".kyiv.html.rangemap-{_dead_pid()}.x1y2z3w4.tmp"
    stale.write_text("half a map")
    write_atomic(tmp_path / "kyiv.html", "<p>Kyiv</p>")
    assert [p.name for p in tmp_path.iterdir()] == ["kyiv.html"]


_WRITER = """
import sys
from rangemap._io import write_atomic
payload = b"n" * int(sys.argv[2])
print("ready", flush=True)
write_atomic(sys.argv[1], payload)
print("done", flush=True)
"""


def _kill_mid_write(target: Path, size: int) -> tuple[bool, list[str]]:
    """Start a writer of ``size`` bytes and SIGKILL it once its temporary file exists.

    Returns whether it was caught mid-write, and the names in the folder after the kill.
    """
    child = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(target), str(size)],
        stdout=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    assert child.stdout is not None
    assert child.stdout.readline() == "ready\n"
    caught = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and child.poll() is None:
        names = [e.name for e in os.scandir(target.parent)]
        match = [TEMP_NAME.match(n) for n in names]
        if any(m and int(m.group("pid")) == child.pid for m in match):
            child.send_signal(signal.SIGKILL)
            caught = True
            break
    child.wait(timeout=60)
    child.stdout.close()
    if caught:
        assert child.returncode == -signal.SIGKILL
    return caught, sorted(p.name for p in target.parent.iterdir())


def test_sigkill_mid_write_leaves_the_old_file_and_the_next_write_cleans_up(
    tmp_path: Path,
) -> None:
    target = tmp_path / "atacms.html"
    for size in (64_000_000, 256_000_000, 512_000_000):
        target.write_bytes(OLD)
        caught, names = _kill_mid_write(target, size)
        if caught:
            break
    else:
        pytest.fail("the writer always finished before it could be killed")
    assert target.read_bytes() == OLD  # the old map, byte for byte
    debris = [n for n in names if n != target.name]
    assert len(debris) == 1
    assert TEMP_NAME.match(debris[0])
    # The next run, a new process, writes the map and removes the dead one's file.
    _run(["-c", _WRITER, str(target), "1000"], _env())
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]
    assert target.read_bytes() == b"n" * 1000


_STAGER = """
import time
from rangemap._io import staging_folder
with staging_folder() as folder:
    (folder / "map.gpkg").write_bytes(b"half a package")
    print(folder, flush=True)
    time.sleep(120)
"""


def test_sigkill_in_a_staging_folder_is_cleaned_by_the_next_export(tmp_path: Path) -> None:
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-c", _STAGER], stdout=subprocess.PIPE, text=True, env=_env(tmpdir)
    )
    assert child.stdout is not None
    folder = Path(child.stdout.readline().strip())
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    child.stdout.close()
    assert folder.parent == tmpdir
    assert STAGING_NAME.match(folder.name)
    assert (folder / "map.gpkg").exists()  # what a killed export leaves behind
    # The next export stages its GeoPackage in the same temporary folder.
    command = ["-m", "rangemap", "map", "--distance", "100 km", "--from", "Kyiv"]
    done = _run([*command, "-o", str(out / "kyiv.gpkg")], _env(tmpdir))
    assert done.stdout.strip() == str(out / "kyiv.gpkg")
    assert list(tmpdir.iterdir()) == []
    assert [p.name for p in out.iterdir()] == ["kyiv.gpkg"]
