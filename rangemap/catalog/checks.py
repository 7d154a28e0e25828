"""Checks that need the whole catalog, not one file.

This module owns the rules that tie files together: a munition's ``launchers`` and the
launchers' ``fires`` agree both ways and name variants that exist, and no id, name or
alias resolves to two systems once normalised. Each problem is reported in the file
that must change, with the other file named.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from rangemap.catalog.load import display_path
from rangemap.catalog.models import System
from rangemap.catalog.normalise import normalise
from rangemap.escaping import quote

__all__ = ["catalog_problems", "name_keys"]


def _where(system: System) -> str:
    return display_path(system.path) if system.path is not None else f"<{system.id}>"


def name_keys(system: System) -> list[tuple[str, str]]:
    """Return the names a system answers to, with the field each comes from.

    Parameters
    ----------
    system : System

    Returns
    -------
    list of (str, str)
        ``(field path, name)`` pairs: the id, the name, every alias and the name in
        each other language (``names``), so ``Калибр`` finds ``kalibr``.
    """
    keys = [("id", system.id), ("name", system.name)]
    keys += [(f"aliases[{i}]", alias) for i, alias in enumerate(system.aliases)]
    keys += [(f"names.{language}", name) for language, name in sorted(system.names.items())]
    return keys


def _closest(name: str, ids: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(ids), n=3, cutoff=0.6)
    return f" (closest: {', '.join(close)})" if close else ""


def catalog_problems(systems: Mapping[str, System], *, unreadable: Iterable[str] = ()) -> list[str]:
    """Check references and names across all systems of a catalog.

    Parameters
    ----------
    systems : mapping of str to System
        Every valid system, by id.
    unreadable : iterable of str, optional
        Ids of systems whose files are invalid; references to them are not reported
        again (their own problems already are).

    Returns
    -------
    list of str
        One ``"file: field: message"`` line per problem, in the order of ``systems``.
    """
    skip = set(unreadable)
    problems: list[str] = []
    owners: dict[str, tuple[System, str, str]] = {}
    for system in systems.values():
        where = _where(system)
        for path, value in name_keys(system):
            key = normalise(value)
            if not key:
                problems.append(
                    f"{where}: {path}: {quote(value)} has no letters or digits; give a real name"
                )
                continue
            owner = owners.get(key)
            if owner is None:
                owners[key] = (system, path, value)
            elif owner[0].id != system.id:
                other, other_path, other_value = owner
                problems.append(
                    f"{where}: {path}: {quote(value)} also names {other.id} ({_where(other)}: "
                    f"{other_path}: {quote(other_value)}); no name may resolve to two systems, "
                    "so remove or change one of them"
                )
        if system.is_launcher:
            problems += _fires_problems(system, systems, skip)
        else:
            problems += _launchers_problems(system, systems, skip)
    return problems


def _launchers_problems(
    munition: System, systems: Mapping[str, System], skip: set[str]
) -> list[str]:
    where = _where(munition)
    problems: list[str] = []
    for i, launcher_id in enumerate(munition.launchers):
        field = f"launchers[{i}]"
        launcher = systems.get(launcher_id)
        if launcher is None:
            if launcher_id not in skip:
                problems.append(
                    f"{where}: {field}: no system has the id {quote(launcher_id)}"
                    f"{_closest(launcher_id, systems)}; fix the id or add a spec "
                    f"{launcher_id}.yaml for the launcher"
                )
        elif not launcher.is_launcher:
            problems.append(
                f"{where}: {field}: {launcher_id} is a {launcher.kind.label}, not a launcher; "
                "list only launcher ids here"
            )
        elif not any(load.munition == munition.id for load in launcher.fires):
            problems.append(
                f"{where}: {field}: {launcher_id} ({_where(launcher)}) does not list "
                f"{munition.id} under fires; add a fires entry for {munition.id} there, "
                "with per_load and its source, or remove it here"
            )
    return problems


def _fires_problems(launcher: System, systems: Mapping[str, System], skip: set[str]) -> list[str]:
    where = _where(launcher)
    problems: list[str] = []
    for k, load in enumerate(launcher.fires):
        field = f"fires[{k}].munition"
        munition = systems.get(load.munition)
        if munition is None:
            if load.munition not in skip:
                problems.append(
                    f"{where}: {field}: no system has the id {quote(load.munition)}"
                    f"{_closest(load.munition, systems)}; fix the id or add a spec "
                    f"{load.munition}.yaml for the munition"
                )
            continue
        if munition.is_launcher:
            problems.append(
                f"{where}: {field}: {load.munition} is a launcher, not a munition; "
                "list only munition ids under fires"
            )
            continue
        if launcher.id not in munition.launchers:
            problems.append(
                f"{where}: {field}: {load.munition} ({_where(munition)}) does not list "
                f"{launcher.id} under launchers; add it there or remove this entry"
            )
        known = [variant.id for variant in munition.variants]
        for j, variant_id in enumerate(load.variants):
            if variant_id not in known:
                problems.append(
                    f"{where}: fires[{k}].variants[{j}]: {load.munition} has no variant "
                    f"{quote(variant_id)}; use one of: {', '.join(known)}"
                )
    return problems
