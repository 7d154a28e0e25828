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
        If the destination folder does not exist or the destination is a folder.

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
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        mode = 0o666 & ~_umask()
        tmp.chmod(mode)
        tmp.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return target


def _umask() -> int:
    """Return the process umask without changing it for longer than a call."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
