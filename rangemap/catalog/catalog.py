"""The :class:`Catalog`: every system by id, looked up by any of its names.

This module owns finding the built-in specs (inside the wheel, or the repository's
``specs/`` folder in a checkout), merging user folders over them, reporting every
problem of every file as one :class:`~rangemap.errors.SpecError`, and the read-only
mapping readers query: lookup by id, name or alias, ``"SYSTEM:VARIANT"`` resolution,
filters and notebook tables.

The built-in catalog of :func:`load_catalog` is read as far as it is used: looking a
system up by its id reads ``specs/<id>.yaml`` alone; anything else (another name, an
alias, iterating, filtering) reads and checks every file, as :meth:`Catalog.load`
does, once. The built-in specs are checked as a whole by the tests and by ``rangemap
specs validate``.
"""

from __future__ import annotations

import difflib
import functools
import importlib.resources
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from numbers import Real
from pathlib import Path
from typing import Any

from rangemap.catalog.checks import catalog_problems, name_keys
from rangemap.catalog.html import catalog_html
from rangemap.catalog.load import FileResult, display_path, read_spec
from rangemap.catalog.models import Kind, System, Variant
from rangemap.catalog.normalise import normalise
from rangemap.errors import InputError, SpecError, UnknownSystemError
from rangemap.escaping import quote, terminal

__all__ = ["Catalog", "builtin_specs_dir", "load_catalog"]


def builtin_specs_dir() -> Path:
    """Return the folder of the built-in specs.

    In an installed wheel they are package data at ``rangemap/specs``; in a checkout
    (including editable installs) they are the repository's ``specs/`` folder.

    Returns
    -------
    pathlib.Path
    """
    packaged = importlib.resources.files("rangemap") / "specs"
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "specs"


def _as_folders(extra_dirs: Iterable[str | Path] | str | Path) -> list[str | Path]:
    # One folder given on its own, not in a list, is still one folder.
    if isinstance(extra_dirs, str | Path):
        return [extra_dirs]
    return list(extra_dirs)


def _spec_files(folder: Path) -> tuple[list[Path], list[str]]:
    where = display_path(folder)
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        msg = f"specs folder {where} {what}; give a folder of *.yaml spec files"
        raise InputError(msg)
    problems = [
        f"{display_path(path)}: spec files end in .yaml; rename it to {terminal(path.stem)}.yaml"
        for path in sorted(folder.glob("*.yml"))
    ]
    files = sorted(folder.glob("*.yaml"))
    if not files and not problems:
        problems.append(
            f"{where}: no *.yaml spec files in this folder; add one per system as "
            "docs/spec-format.md shows"
        )
    return files, problems


def _read_folders(folders: Iterable[Path], read: Callable[[Path], FileResult]) -> dict[str, System]:
    """Read, check and merge spec folders in order; every system by id, sorted.

    Raises
    ------
    SpecError
        Listing every problem in every file, one line each.
    """
    problems: list[str] = []
    systems: dict[str, System] = {}
    unreadable: set[str] = set()
    for folder in folders:
        files, folder_problems = _spec_files(folder)
        problems += folder_problems
        for path in files:
            result = read(path)
            problems += result.problems
            if result.system is not None:
                systems[result.system.id] = result.system
                unreadable.discard(result.system.id)
            else:
                stale = {path.stem, *([result.raw_id] if result.raw_id else [])}
                unreadable |= stale
                for stale_id in stale:
                    systems.pop(stale_id, None)
    ordered = dict(sorted(systems.items()))
    problems += catalog_problems(ordered, unreadable=unreadable)
    if problems:
        raise SpecError(problems)
    return ordered


class Catalog(Mapping[str, System]):
    """A read-only mapping of system id to :class:`System`, with lookup by any name.

    Parameters
    ----------
    systems : iterable of System
        The systems; they are assumed valid together (use :meth:`Catalog.load` or
        :func:`load_catalog` to read and check spec folders).

    Examples
    --------
    >>> from rangemap.catalog import load_catalog
    >>> catalog = load_catalog()
    >>> system, variant = catalog.resolve("ATACMS")
    >>> system.name, variant.max_range.shown_km
    ('ATACMS', 300.0)
    >>> "atacms" in catalog.filter(operator="UA", min_range_km=250)
    True
    """

    def __init__(self, systems: Iterable[System]) -> None:
        self._systems: dict[str, System] = {s.id: s for s in sorted(systems, key=lambda s: s.id)}
        self._index: dict[str, str] = {}
        self._full_names: dict[str, list[str]] = {}
        for system in self._systems.values():
            for _, value in name_keys(system):
                self._index.setdefault(normalise(value), system.id)
            if system.full_name:
                self._full_names.setdefault(normalise(system.full_name), []).append(system.id)

    # --- loading ---------------------------------------------------------------------------

    @classmethod
    def load(
        cls, extra_dirs: Iterable[str | Path] | str | Path = (), *, builtin: bool = True
    ) -> Catalog:
        """Read, check and merge spec folders, without caching.

        Parameters
        ----------
        extra_dirs : iterable of str or Path, optional
            Folders of the reader's own ``*.yaml`` specs, merged over the built-in
            ones in order: a file with the same id replaces the earlier one.
        builtin : bool, default True
            Whether to start from the built-in specs.

        Returns
        -------
        Catalog

        Raises
        ------
        SpecError
            Listing every problem in every file, one line each.
        InputError
            If a folder does not exist.

        Examples
        --------
        >>> from rangemap.catalog import Catalog
        >>> catalog = Catalog.load()
        >>> "atacms" in catalog
        True
        """
        folders = [builtin_specs_dir()] if builtin else []
        folders += [Path(folder) for folder in _as_folders(extra_dirs)]
        return cls(_read_folders(folders, read_spec).values())

    # --- mapping ---------------------------------------------------------------------------

    def __getitem__(self, system_id: str) -> System:
        return self._systems[system_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._systems)

    def __len__(self) -> int:
        return len(self._systems)

    def __repr__(self) -> str:
        return f"<Catalog of {len(self)} systems: {', '.join(self._systems)}>"

    @property
    def systems(self) -> tuple[System, ...]:
        """Every system, sorted by id."""
        return tuple(self._systems.values())

    @property
    def claim_count(self) -> int:
        """How many range claims the catalog holds."""
        return sum(len(system.claims) for system in self._systems.values())

    # --- lookup ----------------------------------------------------------------------------

    def lookup(self, name: str) -> System:
        """Return the system with this id, name or alias (or full name).

        Case, spaces, hyphens and other punctuation do not count.

        Parameters
        ----------
        name : str
            E.g. ``"ATACMS"``, ``"mgm-140"``, ``"MGM 140"``, ``"himars"``, ``"M142"``.

        Returns
        -------
        System

        Raises
        ------
        UnknownSystemError
            If nothing matches; the message suggests the closest names.

        Examples
        --------
        >>> from rangemap.catalog import load_catalog
        >>> load_catalog().lookup("MGM 140").id
        'atacms'
        """
        if not isinstance(name, str):
            msg = f"system: {quote(name)} is not a name; give a system id, name or alias as text"
            raise InputError(msg)
        key = normalise(name)
        system_id = self._index.get(key)
        if system_id is not None:
            return self._systems[system_id]
        by_full_name = self._full_names.get(key, [])
        if len(by_full_name) == 1:
            return self._systems[by_full_name[0]]
        raise UnknownSystemError(self._unknown_message(name, key))

    def _unknown_message(self, name: str, key: str) -> str:
        labels: dict[str, str] = {}
        for system in self._systems.values():
            for _, value in name_keys(system):
                labels.setdefault(normalise(value), system.id)
        close = difflib.get_close_matches(key, list(labels), n=6, cutoff=0.6) if key else []
        close += [k for k in labels if key and len(key) >= 3 and key in k]
        suggested: list[str] = []
        for label in close:
            system = self._systems[labels[label]]
            text = f"{system.id} ({system.name})"
            if text not in suggested:
                suggested.append(text)
        hint = f" Closest: {', '.join(suggested[:5])}." if suggested else ""
        return (
            f"No system matches {quote(name)}.{hint} Run 'rangemap specs list' to see every "
            "system, or add a spec of your own with --specs DIR."
        )

    def resolve(self, name: str) -> tuple[System, Variant]:
        """Return a system and one of its variants from ``"SYSTEM[:VARIANT]"``.

        Parameters
        ----------
        name : str
            A system name, optionally followed by ``:`` and a variant id, name or
            designation. Without a variant, the default variant is returned.

        Returns
        -------
        (System, Variant)

        Raises
        ------
        UnknownSystemError
            If the system or the variant is unknown.

        Examples
        --------
        >>> from rangemap.catalog import load_catalog
        >>> system, variant = load_catalog().resolve("atacms:block-i")
        >>> variant.max_range.shown_km
        165.0
        """
        if ":" in name:
            system_name, _, variant_name = name.partition(":")
            try:
                system = self.lookup(system_name)
            except UnknownSystemError:
                whole = self._index.get(normalise(name))
                if whole is None:
                    raise
                system = self._systems[whole]
                return system, system.variant(None)
            return system, system.variant(variant_name.strip() or None)
        system = self.lookup(name)
        return system, system.variant(None)

    def filter(
        self,
        *,
        kind: Kind | str | None = None,
        operator: str | None = None,
        origin: str | None = None,
        min_range_km: float | None = None,
        max_range_km: float | None = None,
        default_variant_only: bool = False,
    ) -> Catalog:
        """Return the systems that match every condition given.

        Parameters
        ----------
        kind : Kind or str, optional
            E.g. ``Kind.BALLISTIC_MISSILE`` or ``"cruise-missile"``.
        operator : str, optional
            ISO 3166-1 alpha-2 code of a reported user, e.g. ``"UA"`` (any case).
        origin : str, optional
            ISO 3166-1 alpha-2 code of a country that makes it, e.g. ``"US"``.
        min_range_km, max_range_km : float, optional
            Keep munitions with at least one variant whose shown maximum range lies
            within these bounds (inclusive). Launchers have no range of their own and
            are left out when either bound is given.
        default_variant_only : bool, default False
            Compare the bounds with the default variant's shown figure only.

        Returns
        -------
        Catalog

        Raises
        ------
        InputError
            If ``kind`` is not a kind, ``operator`` is not a two-letter country code,
            or a range bound is not a number >= 0.

        Examples
        --------
        >>> from rangemap.catalog import Kind, load_catalog
        >>> catalog = load_catalog()
        >>> ukraine = catalog.filter(kind=Kind.BALLISTIC_MISSILE, operator="UA")
        >>> all(s.kind is Kind.BALLISTIC_MISSILE for s in ukraine.values())
        True
        """
        wanted_kind: Kind | None = None
        if kind is not None:
            try:
                wanted_kind = Kind(kind)
            except ValueError:
                valid = ", ".join(k.value for k in Kind)
                msg = f"kind: {quote(kind)} is not a kind; use one of: {valid}"
                raise InputError(msg) from None
        for label, bound in (("min_range_km", min_range_km), ("max_range_km", max_range_km)):
            if bound is not None and (
                isinstance(bound, bool) or not isinstance(bound, Real) or not bound >= 0
            ):
                msg = f"{label}: {quote(bound)} is not a distance; give kilometres as a number >= 0"
                raise InputError(msg)
        country = self._country_code(operator) if operator is not None else None
        made_in = self._country_code(origin, "origin") if origin is not None else None
        ranged = min_range_km is not None or max_range_km is not None
        kept = []
        for system in self._systems.values():
            if wanted_kind is not None and system.kind is not wanted_kind:
                continue
            if country is not None and country not in system.operators:
                continue
            if made_in is not None and made_in not in system.origin_countries:
                continue
            if ranged:
                variants = (system.default_variant,) if default_variant_only else system.variants
                figures = [v.max_range.shown_km for v in variants if v.max_range]
                if not any(
                    (min_range_km is None or km >= min_range_km)
                    and (max_range_km is None or km <= max_range_km)
                    for km in figures
                ):
                    continue
            kept.append(system)
        return Catalog(kept)

    def _country_code(self, operator: object, label: str = "operator") -> str:
        code = operator.strip().upper() if isinstance(operator, str) else ""
        if len(code) == 2 and code.isascii() and code.isalpha():
            return code
        field = "operators" if label == "operator" else "origin_countries"
        known = sorted({c for system in self._systems.values() for c in getattr(system, field)})
        listed = f" (codes in this catalog: {', '.join(known)})" if known else ""
        msg = (
            f"{label}: {quote(operator)} is not a country code; give an ISO 3166-1 alpha-2 "
            f"code such as 'UA' for Ukraine or 'RU' for Russia{listed}"
        )
        raise InputError(msg)

    def _repr_html_(self) -> str:
        return catalog_html(self)


#: What a spec's id looks like (and so its file's name).
_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class _BuiltinCatalog(Catalog):
    """The built-in catalog, read as far as it is used (see the module's docstring).

    Until the whole catalog is read, a lookup by id reads that system's file alone;
    any other use reads every file (:func:`_read_folders`, the files already read are
    not read again, so a system is the same object either way) and checks them
    together, raising :class:`~rangemap.errors.SpecError` as :meth:`Catalog.load` does.
    """

    def __init__(self) -> None:  # the tables of Catalog are made on first use
        self._folder = builtin_specs_dir()
        self._files: dict[Path, FileResult] = {}

    def _read(self, path: Path) -> FileResult:
        if path not in self._files:
            self._files[path] = read_spec(path)
        return self._files[path]

    def __getattr__(self, name: str) -> Any:
        # Only called for an attribute not set yet: the tables of the whole catalog.
        if name not in ("_systems", "_index", "_full_names"):
            raise AttributeError(name)
        Catalog.__init__(self, _read_folders([self._folder], self._read).values())
        return self.__dict__[name]

    def lookup(self, name: str) -> System:
        """Return the system with this id, name or alias; see :meth:`Catalog.lookup`."""
        if "_systems" not in self.__dict__ and isinstance(name, str):
            stem = name.strip().lower()
            path = self._folder / f"{stem}.yaml"
            if _ID.fullmatch(stem) and path.is_file():
                result = self._read(path)
                if result.system is not None and result.system.id == stem:
                    return result.system
        return super().lookup(name)


@functools.lru_cache(maxsize=16)
def _load_cached(folders: tuple[str, ...]) -> Catalog:
    return Catalog.load(folders) if folders else _BuiltinCatalog()


def load_catalog(extra_dirs: Iterable[str | Path] | str | Path = ()) -> Catalog:
    """Return the built-in catalog, with user folders merged over it; cached.

    Parameters
    ----------
    extra_dirs : iterable of str or Path, optional
        Folders of the reader's own specs; a file with the same id as a built-in
        spec replaces it. Folders are read once per process: call
        :meth:`Catalog.load` to read them again after editing.

    Returns
    -------
    Catalog

    Raises
    ------
    SpecError
        Listing every problem in every file.

    Examples
    --------
    >>> from rangemap.catalog import load_catalog
    >>> catalog = load_catalog()
    >>> catalog is load_catalog()
    True
    """
    folders = tuple(str(Path(folder).resolve()) for folder in _as_folders(extra_dirs))
    return _load_cached(folders)
