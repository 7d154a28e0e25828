"""Atomic file writes: a map on disk is either the old complete file or the new one.

Every file rangemap writes goes through :func:`write_atomic` (one file) or
:func:`write_all` (a map and its companions, such as the embed snippet): each
destination is checked first (:func:`destination_problem`), then every content is
written to a temporary file in its destination folder and flushed to disk, and only
when all of them are complete are they moved over their destinations with
:func:`os.replace`. A failure at any point leaves every destination as it was and
removes the temporary files.

- A destination that exists keeps its file mode (a ``0600`` file stays ``0600``); a
  new one gets ``0666`` less the umask.
- A destination that is a symbolic link is written through: the file it points to is
  replaced and the link stays a link.
- Temporary files are named ``.NAME.rangemap-PID.XXXXXXXX.tmp`` and staging folders
  (:func:`staging_folder`) ``.rangemap-PID-XXXXXXXX``, so they are recognisably
  rangemap's. A process killed mid-write (SIGKILL, power loss) leaves one behind; the
  next write into the same folder removes those whose process is no longer running
  (:func:`remove_stale`), and nothing else.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from rangemap.errors import InputError
from rangemap.escaping import quote

__all__ = [
    "destination_problem",
    "remove_stale",
    "staging_folder",
    "write_all",
    "write_atomic",
]

#: The part of a temporary file's or staging folder's name that marks it as rangemap's.
_MARK = "rangemap"
_RANDOM = r"[a-z0-9_]{8}"  # what tempfile.mkstemp and mkdtemp put in a name
_TEMP_FILE = re.compile(rf"^\..*\.{_MARK}-(?P<pid>[0-9]+)\.{_RANDOM}\.tmp$", re.DOTALL)
_STAGING = re.compile(rf"^\.{_MARK}-(?P<pid>[0-9]+)-{_RANDOM}$")
#: Bytes of the destination's name kept in a temporary file's name (NAME_MAX is 255).
_NAME_KEPT = 100


def _kept(name: str) -> str:
    """Return the start of a file name, at most :data:`_NAME_KEPT` bytes on disk.

    File names are limited in bytes (255 on most systems), not characters: a name in
    Chinese or emoji is three or four bytes a character.
    """
    return os.fsencode(name)[:_NAME_KEPT].decode("utf-8", errors="ignore")


def destination_problem(path: str | os.PathLike[str]) -> str | None:
    """Return why ``path`` cannot be written as a file, or ``None`` when it can be tried.

    Checked: the folder exists, and the path (followed through symbolic links) is not
    a folder. Used to check every output of a command before any is written.

    Parameters
    ----------
    path : str or os.PathLike
        A destination.

    Returns
    -------
    str or None
        A short reason starting with the quoted path, for a message that adds the
        argument and what to do; ``None`` if nothing is wrong.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> destination_problem(folder / "kyiv.html") is None
    True
    >>> destination_problem(folder).endswith("is a folder")
    True
    """
    target = Path(path)
    try:
        real = _through_links(target)
    except InputError as err:
        return str(err)
    if not real.parent.is_dir():
        return f"{quote(str(target))}: folder {quote(str(real.parent))} does not exist"
    if real.is_dir():
        return f"{quote(str(target))} is a folder"
    return None


def _through_links(target: Path) -> Path:
    """Return the file a destination names: the link's target when it is a symbolic link."""
    if not target.is_symlink():
        return target
    try:
        return target.resolve()
    except (OSError, RuntimeError):  # a loop of links
        msg = f"{quote(str(target))} is a loop of symbolic links"
        raise InputError(msg) from None


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> Path:
    r"""Write a whole file atomically.

    Parameters
    ----------
    path : str or os.PathLike
        The destination. Its folder must exist. When it is a symbolic link, the file
        it points to is written and the link is kept.
    data : str or bytes
        The complete content; text is encoded as UTF-8 with ``\\n`` line ends.

    Returns
    -------
    pathlib.Path
        The destination path, as given.

    Raises
    ------
    InputError
        If the destination folder does not exist, the destination is a folder, or
        the file cannot be written (no permission, read-only or full disk); the
        message names ``path``, never the temporary file.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write_atomic(folder / "kyiv.txt", "Kyiv 50.45, 30.52").read_text()
    'Kyiv 50.45, 30.52'
    """
    return write_all([(path, data)])[0]


def write_all(items: Sequence[tuple[str | os.PathLike[str], str | bytes]]) -> list[Path]:
    """Write several whole files, none of them unless all are ready.

    Every destination is checked, then every content is written to its temporary
    file; only then are the files moved into place, in order. If any check or write
    fails, no destination has changed. (Should the system refuse a move, which the
    checks make unlikely, the files moved before it stay new.)

    Parameters
    ----------
    items : sequence of (path, data)
        Destinations and their complete contents, as for :func:`write_atomic`.

    Returns
    -------
    list of pathlib.Path
        The destination paths, as given.

    Raises
    ------
    InputError
        As :func:`write_atomic`, naming the destination at fault.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in write_all([(folder / "map.html", "<p>Sumy</p>"),
    ...                             (folder / "map.embed.html", "<iframe></iframe>")])]
    ['map.html', 'map.embed.html']
    """
    targets = [Path(path) for path, _ in items]
    for target in targets:
        problem = destination_problem(target)
        if problem is not None:
            msg = f"output {problem}; give a file name in an existing folder, such as 'map.html'"
            raise InputError(msg)
    staged: list[tuple[Path, Path, Path]] = []  # (as given, real destination, temporary)
    try:
        for target, (_, data) in zip(targets, items, strict=True):
            real = _through_links(target)
            staged.append((target, real, _stage(target, real, data)))
        for target, real, tmp in staged:
            try:
                tmp.replace(real)
            except OSError as err:
                raise InputError(_cannot_write(target, err)) from None
    finally:
        for _, _, tmp in staged:
            with contextlib.suppress(OSError):
                tmp.unlink()
    return targets


def _stage(target: Path, real: Path, data: str | bytes) -> Path:
    """Write ``data`` to a new temporary file beside ``real``, with ``real``'s mode."""
    folder = real.parent
    remove_stale(folder)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode = stat.S_IMODE(real.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    except OSError as err:
        raise InputError(_cannot_write(target, err)) from None
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{_kept(real.name)}.{_MARK}-{os.getpid()}.", suffix=".tmp", dir=folder
        )
    except OSError as err:
        raise InputError(_cannot_write(target, err)) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise InputError(_cannot_write(target, err)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


@contextlib.contextmanager
def staging_folder() -> Iterator[Path]:
    """Make a private folder for intermediate files, and remove it afterwards.

    The folder is ``.rangemap-PID-XXXXXXXX`` in the system's temporary folder
    (:func:`tempfile.gettempdir`, ``$TMPDIR``); stale ones left there by killed rangemap
    processes are removed first.

    Yields
    ------
    pathlib.Path
        The new, empty folder (mode ``0700``).

    Examples
    --------
    >>> with staging_folder() as folder:
    ...     folder.name.startswith(".rangemap-")
    True
    """
    parent = Path(tempfile.gettempdir())
    remove_stale(parent)
    folder = Path(tempfile.mkdtemp(prefix=f".{_MARK}-{os.getpid()}-", dir=parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def remove_stale(folder: str | os.PathLike[str]) -> list[Path]:
    """Remove rangemap's temporary files and staging folders left by dead processes.

    Only entries named as rangemap names them (``.NAME.rangemap-PID.XXXXXXXX.tmp``
    files, ``.rangemap-PID-XXXXXXXX`` folders), owned by the current user, whose
    process ``PID`` is no longer running, are removed; symbolic links and everything
    else are left alone. Failures are ignored: this is housekeeping.

    Parameters
    ----------
    folder : str or os.PathLike
        The folder to clean.

    Returns
    -------
    list of pathlib.Path
        What was removed.

    Examples
    --------
    >>> import tempfile
    >>> remove_stale(tempfile.mkdtemp())
    []
    """
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        file_match = _TEMP_FILE.match(entry.name)
        dir_match = _STAGING.match(entry.name)
        match = file_match or dir_match
        if match is None or _running(int(match.group("pid"))):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if info.st_uid != os.getuid():
                continue
            if file_match and stat.S_ISREG(info.st_mode):
                Path(entry.path).unlink()
            elif dir_match and stat.S_ISDIR(info.st_mode):
                shutil.rmtree(entry.path)
            else:
                continue
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def _running(pid: int) -> bool:
    """Whether a process with this id exists (another user's counts as running)."""
    if pid == os.getpid():
        return True
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def _cannot_write(target: Path, err: OSError) -> str:
    """Say which output could not be written and why, without the temporary file's name."""
    reason = err.strerror or type(err).__name__
    return (
        f"output {quote(str(target))}: cannot write there ({reason}); choose a folder you "
        "can write to, or free space on the disk"
    )


def _umask() -> int:
    """Return the process umask without changing it for longer than a call."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
