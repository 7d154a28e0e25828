"""Atomic file writes: a map on disk is either the old complete file or the new one.

Every file rangemap writes goes through :func:`write_atomic`: the content is written
to a temporary file in the destination folder, flushed to disk, then moved over the
destination with :func:`os.replace`. A failure at any point leaves the destination
as it was and removes the temporary file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from rangemap.errors import InputError

__all__ = ["write_atomic"]


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> Path:
    r"""Write a whole file atomically.

    Parameters
    ----------
    path : str or os.PathLike
        The destination. Its folder must exist.
    data : str or bytes
        The complete content; text is encoded as UTF-8 with ``\\n`` line ends.

    Returns
    -------
    pathlib.Path
        The destination path.

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
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        msg = f"output {str(target)!r}: folder {str(folder)!r} does not exist; create it first"
        raise InputError(msg)
    if target.is_dir():
        msg = f"output {str(target)!r} is a folder; give a file name such as 'map.html'"
        raise InputError(msg)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as err:
        raise InputError(_cannot_write(target, err)) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        mode = 0o666 & ~_umask()
        tmp.chmod(mode)
        tmp.replace(target)
    except OSError as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise InputError(_cannot_write(target, err)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return target


def _cannot_write(target: Path, err: OSError) -> str:
    """Say which output could not be written and why, without the temporary file's name."""
    reason = err.strerror or type(err).__name__
    return (
        f"output {str(target)!r}: cannot write there ({reason}); choose a folder you "
        "can write to, or free space on the disk"
    )


def _umask() -> int:
    """Return the process umask without changing it for longer than a call."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
