"""Write the documentation pages that come from code and data, not from hand.

``docs/conf.py`` runs :func:`generate` before Sphinx reads any page; it can also be run
by hand: ``python scripts/build_docs_pages.py docs``. It writes

- ``docs/systems/index.rst`` and one ``docs/systems/<id>.rst`` per catalog system:
  every variant, every claim (figure, qualifier, claimant, source) and every source with
  its link, from the same catalog the package loads;
- ``docs/_generated/spec-schema.json``: the JSON Schema of spec files, from
  ``rangemap specs schema``;
- ``docs/_generated/recipe-schema.json``: the JSON Schema of map recipes;
- ``docs/_generated/theme-schema.json``: the JSON Schema of theme files.

Pages are reStructuredText because every string from a spec file can be escaped there
character by character (:func:`rst_text`); a file is rewritten only when its content
changes, so incremental builds stay incremental.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_SPACE = re.compile(r"\s+")


def rst_text(text: object) -> str:
    """Return ``text`` as reStructuredText inline content that renders as itself.

    Whitespace (newlines included) collapses to single spaces, so a string can never
    start a new block; every ASCII punctuation character is backslash-escaped, so no
    markup (``*``, backticks, ``|``, ``_``, ``<``, ``:`` roles, ``..`` directives)
    can take effect.
    """
    flat = _SPACE.sub(" ", str(text)).strip()
    flat = "".join(ch for ch in flat if unicodedata.category(ch) not in {"Cc", "Cf", "Cs"})
    return _PUNCTUATION.sub(r"\\\1", flat)


def rst_literal(text: str) -> str:
    """Return ``text`` as an inline literal when it is a plain name, else as escaped text."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._:/-]*", text):
        return f"``{text}``"
    return rst_text(text)


def rst_url(url: str) -> str:
    """Percent-encode the characters of ``url`` that could end a reST link target."""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")


def rst_link(title: object, url: str) -> str:
    """Return an anonymous reST hyperlink showing ``title`` and pointing at ``url``."""
    return f"`{rst_text(title)} <{rst_url(url)}>`__"


def heading(text: str, char: str) -> list[str]:
    """Return a section title with an underline long enough for wide characters."""
    width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return [text, char * max(width, 4), ""]


def label(*parts: str) -> str:
    """Return a reST label name built from catalog ids."""
    return "-".join(re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in parts)


def _enum_value(value: Any) -> str:
    return str(getattr(value, "value", value))


def _km(km: float) -> str:
    return f"{km:,.0f}" if float(km).is_integer() else f"{km:,.1f}"


def _field_list(items: Iterable[tuple[str, str]]) -> list[str]:
    lines = [f":{name}: {value}" for name, value in items if value]
    return [*lines, ""] if lines else []


def _range_block(system: Any, variant: Any, spec: Any, what: str) -> list[str]:
    """The shown figure, why it is shown, and a table of every claim."""
    lines: list[str] = []
    phrase = f"{_km(spec.shown_km)} km"
    lines += [f"**{rst_text(what)} shown on maps: {rst_text(phrase)}**", ""]
    low, high = spec.spread_km
    if low != high:
        spread = f"Public figures range from {_km(low)} to {_km(high)} km."
        lines += [rst_text(spread), ""]
    if spec.why_shown:
        lines += [f"Why this figure: {rst_text(spec.why_shown)}", ""]
    lines += [
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 14 16 14 30 26",
        "",
        "   * - km",
        "     - reported as",
        "     - claimant",
        "     - source",
        "     - note",
    ]
    for claim in spec.claims:
        reported = claim.qualifier.phrase(claim.km)
        if claim.as_reported:
            reported = f"{reported} (as written: “{claim.as_reported}”)"
        src = system.sources[claim.source]
        shown = " (shown)" if claim.km == spec.shown_km else ""
        lines += [
            f"   * - {rst_text(_km(claim.km) + shown)}",
            f"     - {rst_text(reported)}",
            f"     - {rst_text(_enum_value(claim.claimant))}",
            f"     - :ref:`{rst_text(src.publisher)} <{label('src', system.id, claim.source)}>`",
            f"     - {rst_text(claim.note or '')}",
        ]
    lines.append("")
    return lines


def system_page(system: Any, catalog: Any) -> str:
    """Return the reST page of one catalog system."""
    title = system.name if not system.full_name else f"{system.name}: {system.full_name}"
    lines = [f".. _{label('system', system.id)}:", "", *heading(rst_text(title), "=")]
    if system.summary:
        lines += [rst_text(system.summary), ""]

    def names(ids: Sequence[str]) -> str:
        out = []
        for other in ids:
            if other in catalog:
                out.append(f":doc:`{rst_text(catalog[other].name)} <{other}>`")
            else:
                out.append(rst_text(other))
        return ", ".join(out)

    lines += _field_list(
        [
            ("Catalog id", rst_literal(system.id)),
            ("Also known as", ", ".join(rst_text(a) for a in system.aliases)),
            ("Kind", rst_text(_enum_value(system.kind))),
            ("Origin", ", ".join(rst_text(c) for c in system.origin_countries)),
            ("Reported operators", ", ".join(rst_text(c) for c in system.operators)),
            ("Launchers", names(system.launchers)),
            ("Platforms", ", ".join(rst_text(p) for p in system.platforms)),
            ("Figures as of", rst_text(system.as_of.isoformat())),
            ("Spec file", rst_literal(f"specs/{Path(system.path).name}") if system.path else ""),
        ]
    )
    if system.notes:
        lines += [*(f"- {rst_text(n)}" for n in system.notes), ""]

    lines += heading("Variants", "-")
    for variant in system.variants:
        vtitle = variant.name + (" (default)" if variant.default else "")
        lines += [f".. _{label('variant', system.id, variant.id)}:", ""]
        lines += heading(rst_text(vtitle), "~")
        lines += _field_list(
            [
                ("Variant id", rst_literal(f"{system.id}:{variant.id}")),
                ("Designations", ", ".join(rst_text(d) for d in variant.designations)),
            ]
        )
        if variant.max_range is not None:
            lines += _range_block(system, variant, variant.max_range, "Maximum range")
        if variant.min_range is not None:
            lines += _range_block(system, variant, variant.min_range, "Minimum range")
        if variant.notes:
            lines += [*(f"- {rst_text(n)}" for n in variant.notes), ""]

    if system.fires:
        lines += heading("Fires", "-")
        for fire in system.fires:
            munition = names([fire.munition])
            which = ", ".join(rst_text(v) for v in (fire.variants or ())) or "all variants"
            src = f":ref:`{rst_text(system.sources[fire.source].publisher)} "
            src += f"<{label('src', system.id, fire.source)}>`"
            note = f" {rst_text(fire.note)}" if getattr(fire, "note", None) else ""
            lines.append(f"- {munition} ({which}): {fire.per_load} per load, per {src}.{note}")
        lines.append("")

    lines += heading("Sources", "-")
    for source_id, source in system.sources.items():
        lines += [f".. _{label('src', system.id, source_id)}:", ""]
        lines += [rst_literal(source_id), f"   {rst_text(source.citation())}", ""]
        lines += [f"   {rst_link(source.title, str(source.url))}", ""]
    return "\n".join(lines)


def systems_index(catalog: Any) -> str:
    """Return the reST index of every catalog system."""
    lines = [".. _systems:", "", *heading("Systems in the catalog", "=")]
    lines += [
        "One page per file in ``specs/``, generated when these pages are built. Each lists "
        "every public figure found, who gave it, how it was qualified (“about”, “up to”), "
        "and which one maps show.",
        "",
        ".. list-table::",
        "   :header-rows: 1",
        "   :widths: 30 22 48",
        "",
        "   * - system",
        "     - kind",
        "     - ranges shown on maps",
    ]
    systems = sorted(catalog.values(), key=lambda s: s.id)
    for system in systems:
        shown = [
            f"{v.name}: {_km(v.max_range.shown_km)} km"
            for v in system.variants
            if v.max_range is not None
        ]
        lines += [
            f"   * - :doc:`{rst_text(system.name)} <{system.id}>`",
            f"     - {rst_text(_enum_value(system.kind))}",
            f"     - {rst_text('; '.join(shown)) if shown else '(launcher)'}",
        ]
    lines += ["", ".. toctree::", "   :hidden:", ""]
    lines += [f"   {s.id}" for s in systems]
    lines.append("")
    return "\n".join(lines)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def write_system_pages(docs: Path, catalog: Any) -> list[Path]:
    """Write ``systems/index.rst`` and one page per system; remove stale pages."""
    folder = docs / "systems"
    written = []
    for system in catalog.values():
        path = folder / f"{system.id}.rst"
        _write(path, system_page(system, catalog))
        written.append(path)
    index = folder / "index.rst"
    _write(index, systems_index(catalog))
    written.append(index)
    for stale in set(folder.glob("*.rst")) - set(written):
        stale.unlink()
    return written


def write_schema(docs: Path) -> Path:
    """Write the JSON Schema of spec files as ``rangemap specs schema`` prints it."""
    done = subprocess.run(
        [sys.executable, "-m", "rangemap", "specs", "schema"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if done.returncode != 0:
        msg = f"`rangemap specs schema` failed ({done.returncode}): {done.stderr.strip()}"
        raise RuntimeError(msg)
    schema = json.loads(done.stdout)
    path = docs / "_generated" / "spec-schema.json"
    _write(path, json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n")
    return path


def write_recipe_schema(docs: Path) -> Path:
    """Write the JSON Schema of map recipes, from the recipe models."""
    from rangemap.recipes import Recipe

    path = docs / "_generated" / "recipe-schema.json"
    _write(path, json.dumps(Recipe.model_json_schema(), indent=2, ensure_ascii=False) + "\n")
    return path


def write_theme_schema(docs: Path) -> Path:
    """Write the JSON Schema of theme files, from the theme model."""
    from rangemap.theme import Theme

    path = docs / "_generated" / "theme-schema.json"
    _write(path, json.dumps(Theme.model_json_schema(), indent=2, ensure_ascii=False) + "\n")
    return path


def generate(docs: Path) -> None:
    """Write every generated page under ``docs``."""
    from rangemap.catalog import load_catalog

    write_system_pages(docs, load_catalog())
    write_schema(docs)
    write_recipe_schema(docs)
    write_theme_schema(docs)


def main(argv: Sequence[str] | None = None) -> int:
    """Run :func:`generate` on the folder given as the only argument (default ``docs``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    docs = Path(args[0]) if args else ROOT / "docs"
    generate(docs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
