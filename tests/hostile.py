"""The hostile-string battery: text that would run, break out or mislead if it were not data.

Each entry is ``(id, text)``. Every payload that could ever execute calls
``__rm_hit()`` (or ``alert(1)``, recorded as a dialog), which the browser tests install
as a recorder (:data:`RECORDER`) and expect never to be called. The ids are readable
test ids for ``pytest.mark.parametrize``.

Strings made only of control characters carry a visible word around them, so that
what a renderer keeps (``clean(text)``) can be checked as well as what it drops.

Also here: what every output is expected to show (:func:`shown`, :func:`label_shown`),
which inputs are refused by design (:func:`spec_refuses`, :func:`recipe_refuses`,
:func:`cli_refuses`), file names made from the battery (:func:`file_stem`), and the maps
the tests make of it: :func:`api_page_map` (each text in every field of a page) and
:func:`surface` (the whole battery through the API, the command line, a recipe or
specs, in every format, rendered once per test session and shared by both test files).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import io
import re
import shutil
import tempfile
import unicodedata
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rangemap import RangeMap, Reach
from rangemap.cli import main
from rangemap.escaping import clean

ROOT = Path(__file__).resolve().parents[1]

__all__ = [
    "BATTERY",
    "CONTROL",
    "FORMATS",
    "KYIV",
    "LONG_UNBROKEN",
    "LONG_WORDS",
    "NOTE_LAT",
    "NOTE_LON",
    "PLACES",
    "RECORDER",
    "STATIC_SIZE",
    "SUMY",
    "SURFACES",
    "SURFACE_BATTERY",
    "Expect",
    "LayerText",
    "Run",
    "Surface",
    "api_page_map",
    "api_surface_map",
    "cli_refuses",
    "cli_surface_args",
    "file_stem",
    "group",
    "ids",
    "join",
    "label_shown",
    "pages",
    "parts",
    "recipe_refuses",
    "run",
    "shown",
    "spec_control",
    "spec_copy",
    "spec_fields",
    "spec_refuses",
    "squash",
    "surface",
    "surface_parts",
    "terminal_unsafe",
    "write_spec",
    "write_spec_batch",
    "write_surface_recipe",
]

#: Installed in every page before its own scripts run: the recorder payloads call, and
#: a listener that records every Content-Security-Policy violation.
RECORDER = (
    "window.__rm_hits=[];"
    "window.__rm_hit=function(){window.__rm_hits.push(String(new Error().stack))};"
    "window.__rm_csp=[];"
    "document.addEventListener('securitypolicyviolation',function(e){"
    "window.__rm_csp.push(e.violatedDirective+' '+e.blockedURI+' '+e.sample)},true);"
)

_WORDS = "<script>__rm_hit()</script> <img src=x onerror=__rm_hit()> ${__rm_hit()} "
#: 20,000 characters with spaces: long, but lines can break.
LONG_WORDS = (_WORDS * (20_000 // len(_WORDS) + 1))[:20_000]
#: 20,000 characters without a space: one "word" a line breaker has to cut.
LONG_UNBROKEN = ("<svg/onload=__rm_hit()>" * (20_000 // 23 + 1))[:20_000]

BATTERY: list[tuple[str, str]] = [
    # --- HTML elements that run script --------------------------------------------------
    ("script-tag", "<script>__rm_hit()</script>"),
    ("script-alert", "<script>alert(1)</script>"),
    ("img-onerror", "<img src=x onerror=__rm_hit()>"),
    ("svg-onload", "<svg onload=__rm_hit()>"),
    ("details-ontoggle", "<details open ontoggle=__rm_hit()>"),
    ("iframe-srcdoc", '<iframe srcdoc="<script>parent.__rm_hit()</script>">'),
    ("input-autofocus", "<input autofocus onfocus=__rm_hit()>"),
    ("body-onload", "<body onload=__rm_hit()>"),
    ("a-javascript", '<a href="javascript:__rm_hit()">click</a>'),
    ("object-data", '<object data="javascript:__rm_hit()"></object>'),
    ("noscript-mxss", '<noscript><p title="</noscript><img src=x onerror=__rm_hit()>">'),
    ("plaintext", "<plaintext>swallow the rest"),
    # --- attribute breakouts ------------------------------------------------------------
    ("attr-dq-mouseover", '" onmouseover="__rm_hit()'),
    ("attr-dq-autofocus", '" autofocus onfocus="__rm_hit()" x="'),
    ("attr-sq-autofocus", "' autofocus onfocus='__rm_hit()' x='"),
    ("attr-unquoted", "x onfocus=__rm_hit() autofocus tabindex=1"),
    # --- closing the context the text sits in ------------------------------------------
    ("close-script", "</script><script>__rm_hit()</script>"),
    ("close-style", "</style><script>__rm_hit()</script>"),
    ("close-title", "</title><script>__rm_hit()</script>"),
    ("close-cdata", "]]><script>__rm_hit()</script>"),
    ("comment-open", "<!--"),
    ("comment-close", "-->"),
    ("cdata", "<![CDATA[x]]>"),
    # --- template engines ----------------------------------------------------------------
    ("jinja-expr", "{{ 7*7 }}"),
    ("jinja-raw", "{% raw %}"),
    ("jinja-comment", "{#3}"),
    ("jinja-lipsum", "{{ lipsum.__globals__.os.popen('id').read() }}"),
    ("jinja-self", "{{ self.__init__.__globals__ }}"),
    ("js-template", "${__rm_hit()}"),
    ("js-backticks", "`${__rm_hit()}`"),
    # --- JavaScript string breakouts -----------------------------------------------------
    ("js-sq", "';__rm_hit();//"),
    ("js-dq", '";__rm_hit();//'),
    ("js-backslash-dq", '\\";__rm_hit();//'),
    ("json-unicode-escape", "\\u003cscript\\u003e__rm_hit()\\u003c/script\\u003e"),
    # --- addresses -----------------------------------------------------------------------
    ("url-javascript", "javascript:__rm_hit()"),
    ("url-javascript-case", "JaVaScRiPt:__rm_hit()"),
    ("url-data", "data:text/html,<script>__rm_hit()</script>"),
    ("url-quote-breakout", 'https://example.org/"><svg onload=__rm_hit()>'),
    ("url-percent", "%3Cscript%3E__rm_hit()%3C/script%3E"),
    # --- entities ------------------------------------------------------------------------
    ("entities-named", "&lt;script&gt;__rm_hit()&lt;/script&gt;"),
    ("entities-numeric", "&#60;script&#62;__rm_hit()&#60;/script&#62;"),
    ("ampersand", "Tom & Jerry <3"),
    # --- elements that load or redirect --------------------------------------------------
    ("base-href", '<base href="https://evil.example/">'),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:__rm_hit()">'),
    ("style-background", "<style>*{background:url(https://evil.example/x)}</style>"),
    ("link-stylesheet", "<link rel=stylesheet href=https://evil.example/x.css>"),
    ("form-action", "<form action=javascript:__rm_hit()><button>x</button></form>"),
    ("mathml-href", '<math><a xlink:href="javascript:__rm_hit()">x</a></math>'),
    # --- characters that are not what they look like ------------------------------------
    ("bidi-override", "Sumy \u202eevil\u202c"),
    ("bidi-isolate", "Kursk \u2066x\u2069"),
    ("c0-nul", "Sumy\x00Kursk"),
    ("c0-soh-bel", "Sumy\x01Kursk\x07"),
    ("c0-vt-word", "Kharkiv\x0boblast"),
    ("ansi-csi", "\x1b[31mred\x1b[0m alert"),
    ("osc52-clipboard", "Kyiv\x1b]52;c;ZXZpbA==\x07"),
    ("del", "Sumy\x7fKursk"),
    ("c1-nel-csi", "Sumy\x85Kursk\x9b31m"),
    ("bom", "\ufeffKyiv"),
    ("line-paragraph-sep", "Sumy\u2028Kursk\u2029Belgorod"),
    ("crlf-tab", "line one\r\nline two\tend"),
    ("zero-width", "Ky\u200biv\u200d"),
    ("nfd", "Kyi\u0308v Cafe\u0301"),
    ("lone-surrogate", "Kyiv\udc80"),
    # --- long ----------------------------------------------------------------------------
    ("long-20000-words", LONG_WORDS),
    ("long-20000-unbroken", LONG_UNBROKEN),
    # --- format strings, shells, YAML ----------------------------------------------------
    ("printf", "%s%n%x%d"),
    ("str-format", "{0} {0!r} {x.__class__}"),
    ("mathtext", "$\\alpha$ $x^2$ \\$"),
    ("shell-subst", "$(id)"),
    ("shell-semicolon", "; id"),
    ("shell-pipe", "| id"),
    ("yaml-list", "- x"),
    ("yaml-key", "key: value"),
    ("yaml-tag", "!!python/object/apply:os.system ['id']"),
    ("yaml-null", "~"),
    # --- spreadsheet formulas ------------------------------------------------------------
    ("csv-hyperlink", '=HYPERLINK("https://evil.example","x")'),
    ("csv-plus", "+1"),
    ("csv-minus", "-1"),
    ("csv-at", "@SUM(1)"),
    ("csv-tab", "\t=1+1"),
    # --- scripts other than Latin --------------------------------------------------------
    ("rtl-hebrew", "שלום עולם"),
    ("rtl-arabic", "مرحبا بالعالم"),
    ("cjk", "北京 東京 서울"),
    ("emoji-zwj", "\U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466 family"),
]

#: Characters a spec may not hold, and no output may carry: C0 and C1 controls, DEL,
#: the line and paragraph separators, bidi embeddings, overrides and isolates, the
#: byte-order mark, the two non-characters and lone surrogates.
CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff]"
)


def shown(text: str) -> str:
    """What a renderer shows for ``text``: :func:`rangemap.escaping.clean` of it."""
    return clean(text)


def label_shown(text: str) -> str:
    """What an ``"LAT, LON=Label"`` origin shows: the label after '=' is trimmed."""
    return clean(text.strip())


def squash(text: str) -> str:
    """``text`` without any whitespace (to compare text that was wrapped into lines)."""
    return "".join(text.split())


def terminal_unsafe(text: str) -> list[str]:
    """Return the characters of ``text`` that no terminal output may carry (not ``\\n``)."""
    return [ch for ch in text if ch != "\n" and CONTROL.match(ch)]


def spec_refuses(text: str) -> bool:
    """Whether a spec refuses ``text`` as a name (at most 200 characters).

    Spec text is trimmed, then may hold no control or bidi character; a name needs a
    letter or a digit.
    """
    return spec_control(text) or not any(ch.isalnum() for ch in text)


def spec_control(text: str, limit: int = 200) -> bool:
    """Whether trimmed ``text`` holds a control character or is over ``limit`` long."""
    trimmed = text.strip()
    return CONTROL.search(trimmed) is not None or len(trimmed) > limit


def recipe_refuses(text: str, *, prefix: str = "") -> bool:
    """Whether a recipe text field refuses ``prefix + text``.

    YAML (``yaml.safe_dump``) writes any character as an escape, but a lone surrogate's
    escape is not valid YAML; recipe texts are at most 2,000 characters.
    """
    value = prefix + text
    return len(value) > 2000 or re.search("[\ud800-\udfff]", value) is not None


def cli_refuses(text: str) -> bool:
    """Whether the command line refuses an argument: it is not valid UTF-8."""
    return re.search("[\ud800-\udfff]", text) is not None


def file_stem(text: str, max_bytes: int = 200) -> str:
    """Return ``text`` as a file-name stem valid on Linux, at most ``max_bytes`` bytes.

    ``/`` and NUL, which no file name may hold, become U+2215 (division slash) and
    U+2400 (symbol for null); everything else stays, cut at a character boundary. A
    lone surrogate (an undecodable byte, as Python reads file names) counts as one byte.
    """
    stem = text.replace("/", "\u2215").replace("\x00", "\u2400")
    out = []
    size = 0
    for ch in stem:
        width = 1 if "\udc80" <= ch <= "\udcff" else len(ch.encode("utf-8", "surrogatepass"))
        if size + width > max_bytes:
            break
        out.append(ch)
        size += width
    return "".join(out)


def group(items: Iterable[tuple[str, str]], max_chars: int) -> list[list[tuple[str, str]]]:
    """Pack battery entries, in order, into groups whose texts joined with " | " fit."""
    groups: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    size = 0
    for name, text in items:
        extra = len(text) + (3 if current else 0)
        if current and size + extra > max_chars:
            groups.append(current)
            current, size = [], 0
            extra = len(text)
        current.append((name, text))
        size += extra
    if current:
        groups.append(current)
    return groups


def join(entries: Sequence[tuple[str, str]]) -> str:
    """Join battery texts with ``" | "``."""
    return " | ".join(text for _, text in entries)


def pages(items: Sequence[tuple[str, str]], size: int) -> list[list[tuple[str, str]]]:
    """Split battery entries into groups of ``size``, each 20,000-character string alone."""
    short = [entry for entry in items if len(entry[1]) < 1000]
    long = [[entry] for entry in items if len(entry[1]) >= 1000]
    return [list(short[i : i + size]) for i in range(0, len(short), size)] + long


def ids(groups: Sequence[Sequence[tuple[str, str]]]) -> list[str]:
    """Test ids for groups of battery entries."""
    return ["+".join(name for name, _ in entries) for entries in groups]


# --- what a map made from the battery must show -------------------------------------------


@dataclass
class LayerText:
    """What one layer must show, already cleaned: legend name, reach label, origins."""

    name: str
    label: str
    origins: list[str]
    system_name: str | None = None
    variant_name: str | None = None


@dataclass
class Expect:
    """What a map must show, already cleaned (:func:`shown`), whatever the format."""

    title: str
    subtitle: str
    credit: str
    layers: list[LayerText]
    notes: list[str]
    #: Texts every source line holds (publishers and titles), for maps from specs.
    sources: list[str] = field(default_factory=list)
    #: Free-text caveats of the specs, printed with their layers.
    caveats: list[str] = field(default_factory=list)

    @property
    def origins(self) -> list[str]:
        """Every origin label, each once, in layer order."""
        return list(dict.fromkeys(o for layer in self.layers for o in layer.origins))

    def texts(self) -> list[str]:
        """Every text the map must show somewhere."""
        out = [self.title, self.subtitle, self.credit, *self.notes, *self.sources, *self.caveats]
        for layer in self.layers:
            out += [layer.name, *layer.origins]
            out += [t for t in (layer.system_name, layer.variant_name) if t]
        return [t for t in out if t]


# --- maps made from the battery -----------------------------------------------------------

#: Origins and the point notes are placed at: Sumy, Kyiv, Kursk (lon, lat).
SUMY = "50.9077, 34.7981"
KYIV = "50.45, 30.52"
NOTE_LON, NOTE_LAT = 36.19, 51.73
#: Places in range: Kursk and Belgorod (both nearest the Sumy origins).
PLACES: dict[str, Any] = {"top": 2, "min_population": 100_000, "countries": ["RU"]}


def api_page_map(entries: Sequence[tuple[str, str]]) -> tuple[RangeMap, Expect]:
    """A map, through the Python API, carrying each text of ``entries`` in every field.

    Title, subtitle and credit hold all the texts joined (" | "); each text has its own
    layer (``name=`` and the reach's ``label=``), measured from its own labelled origin
    (``"LAT, LON=text"``), and its own note (``annotate``). A last layer, from Kyiv, is
    named by its reach label (all the texts joined).
    """
    texts = join(entries)
    scene = RangeMap(title=texts, subtitle=texts, credit=texts)
    for _, text in entries:
        scene.add(Reach.from_distance(200_000, f"{SUMY}={text}", label=text), name=text)
    scene.add(Reach.from_distance(60_000, f"{KYIV}=Kyiv", label=texts))
    for _, text in entries:
        scene.annotate(text, lon=NOTE_LON, lat=NOTE_LAT)
    scene.show_places(2, min_population=100_000, countries=["RU"])
    expect = Expect(
        title=shown(texts),
        subtitle=shown(texts),
        credit=shown(texts),
        layers=[
            *(LayerText(shown(t), shown(t), [label_shown(t)]) for _, t in entries),
            LayerText(shown(texts), shown(texts), ["Kyiv"]),
        ],
        notes=[shown(t) for _, t in entries],
    )
    return scene, expect


def parts(entries: Sequence[tuple[str, str]], count: int) -> list[list[tuple[str, str]]]:
    """Deal the entries into ``count`` parts, round robin."""
    return [list(entries[i::count]) for i in range(count)]


def surface_parts(
    entries: Sequence[tuple[str, str]],
) -> tuple[list[str], list[str], list[str]]:
    """How a surface map spreads the battery, each text once in each kind of place.

    Returns ``(fields, layers, origins)``: title, subtitle and credit (a quarter of
    the texts each, joined); the legend names of the layers (the last quarter, joined
    in groups of at most 200 characters); and origin labels (all the texts, joined in
    groups of at most 200 characters). Every text is also a note of its own.
    """
    quarters = parts(entries, 4)
    fields = [join(quarter) or "-" for quarter in quarters[:3]]
    layers = [join(g) for g in group(quarters[3], 200)]
    origins = [join(g) for g in group(entries, 200)]
    return fields, layers, origins


def _deal(items: Sequence[str], count: int) -> list[list[str]]:
    return [list(items[i::count]) for i in range(count)]


def api_surface_map(entries: Sequence[tuple[str, str]]) -> tuple[RangeMap, Expect]:
    """One map, through the Python API, carrying every text of ``entries`` (see
    :func:`surface_parts`): for static images, which draw every character."""
    fields, names, origins = surface_parts(entries)
    scene = RangeMap(title=fields[0], subtitle=fields[1], credit=fields[2])
    layers = []
    for name, labels in zip(names, _deal(origins, len(names)), strict=True):
        sites = [f"{SUMY}={label}" for label in labels]
        scene.add(Reach.from_distance(200_000, sites, label=name), name=name)
        layers.append(LayerText(shown(name), shown(name), [label_shown(x) for x in labels]))
    for _, text in entries:
        scene.annotate(text, lon=NOTE_LON, lat=NOTE_LAT)
    scene.show_places(2, min_population=100_000, countries=["RU"])
    expect = Expect(
        title=shown(fields[0]),
        subtitle=shown(fields[1]),
        credit=shown(fields[2]),
        layers=layers,
        notes=[shown(t) for _, t in entries],
    )
    return scene, expect


def cli_surface_args(entries: Sequence[tuple[str, str]], output: Path) -> tuple[list[str], Expect]:
    """``rangemap map`` arguments carrying every text of ``entries`` in its flags.

    ``--title``, ``--subtitle`` and ``--credit`` take a quarter of the texts each and
    ``--label`` the last quarter (joined); every text is in one ``--from`` origin's
    label. Written ``--flag=VALUE``, so a text that starts with "-" stays a value.
    """
    fields, names, origins = surface_parts(entries)
    label = " | ".join(names)
    arguments = [
        "map",
        f"--title={fields[0]}",
        f"--subtitle={fields[1]}",
        f"--credit={fields[2]}",
        "--distance=200 km",
        f"--label={label}",
        *(f"--from={SUMY}={text}" for text in origins),
        "--places=2",
        "--places-min-population=100000",
        "--places-country=RU",
        "-o",
        str(output),
    ]
    expect = Expect(
        title=shown(fields[0]),
        subtitle=shown(fields[1]),
        credit=shown(fields[2]),
        layers=[LayerText(shown(label), shown(label), [label_shown(x) for x in origins])],
        notes=[],
    )
    return arguments, expect


def write_surface_recipe(path: Path, entries: Sequence[tuple[str, str]]) -> Expect:
    """Write a recipe carrying every text of ``entries`` (``yaml.safe_dump``: any string).

    Title, subtitle and credit, layer labels and origin labels as
    :func:`surface_parts` spreads them; every text is an annotation of its own.
    """
    fields, names, origins = surface_parts(entries)
    layers = []
    expected = []
    for name, labels in zip(names, _deal(origins, len(names)), strict=True):
        layers.append(
            {"distance": "200 km", "label": name, "origins": [f"{SUMY}={x}" for x in labels]}
        )
        expected.append(LayerText(shown(name), shown(name), [label_shown(x) for x in labels]))
    recipe: dict[str, Any] = {
        "title": fields[0],
        "subtitle": fields[1],
        "credit": fields[2],
        "layers": layers,
        "annotations": [{"text": text, "at": f"{NOTE_LAT}, {NOTE_LON}"} for _, text in entries],
        "places": PLACES,
    }
    path.write_text(yaml.safe_dump(recipe, allow_unicode=True), "utf-8")
    return Expect(
        title=shown(fields[0]),
        subtitle=shown(fields[1]),
        credit=shown(fields[2]),
        layers=expected,
        notes=[shown(t) for _, t in entries],
    )


#: The spec every spec test starts from.
ATACMS = ROOT / "specs" / "atacms.yaml"


def spec_copy(text: str, *, system_id: str = "atacms", trim: bool = False) -> dict[str, Any]:
    """A copy of ``specs/atacms.yaml`` whose name, variant names, notes, a free-text
    caveat, and every source's publisher and titles are ``text``.

    With ``trim``, each variant keeps only its first claim and the file only the sources
    those claims cite, and the aliases and launchers go: a small spec, of which many
    copies can share a catalog.
    """
    spec: dict[str, Any] = yaml.safe_load(ATACMS.read_text("utf-8"))
    spec["id"] = system_id
    spec["name"] = text
    spec["notes"] = [text]
    spec["caveats"] = [*spec.get("caveats", []), {"note": text}]
    spec["variants"] = [dict(v, name=text) for v in spec["variants"]]
    if trim:
        spec["aliases"] = []
        spec["launchers"] = []
        for variant in spec["variants"]:
            claims = variant["max_range"]["claims"][:1]
            variant["max_range"] = dict(variant["max_range"], claims=claims)
            variant["max_range"]["shown_km"] = claims[0]["km"]
            variant["max_range"].pop("why_shown", None)
        cited = {v["max_range"]["claims"][0]["source"] for v in spec["variants"]}
        spec["sources"] = {k: v for k, v in spec["sources"].items() if k in cited}
    spec["sources"] = {
        key: dict(source, publisher=text, title=text, title_en=text)
        for key, source in spec["sources"].items()
    }
    return spec


def spec_fields(spec: dict[str, Any]) -> set[str]:
    """The fields :func:`spec_copy` sets, as the catalog names them in a message."""
    fields = {"name", "notes[0]", f"caveats[{len(spec['caveats']) - 1}].note"}
    fields |= {f"variants[{i}].name" for i in range(len(spec["variants"]))}
    for key in spec["sources"]:
        fields |= {f"sources.{key}.{field}" for field in ("publisher", "title", "title_en")}
    return fields


def write_spec(folder: Path, spec: dict[str, Any]) -> Path:
    """Write a spec into ``folder`` (created), named after its id."""
    folder.mkdir(exist_ok=True)
    path = folder / f"{spec['id']}.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), "utf-8")
    return path


def write_spec_batch(folder: Path, entries: Sequence[tuple[str, str]]) -> tuple[Path, Expect]:
    """Write trimmed spec copies carrying every text of ``entries``, and a recipe of them.

    The texts are joined in groups of at most 190 characters; each group is the name
    (after a number, as names are unique in a catalog), variant names, caveat, publisher
    and title of one spec in ``folder/specs`` (given to ``rangemap map`` with ``--specs``).
    The recipe (returned) maps every spec from Sumy; its title, subtitle and credit are
    plain.
    """
    specs = folder / "specs"
    layers = []
    expected = []
    sources = []
    caveats = []
    for i, chunk in enumerate(group(entries, 190)):
        text = join(chunk)
        spec = spec_copy(text, system_id=f"hostile-{i}", trim=True)
        spec["name"] = f"S{i} {text}"
        write_spec(specs, spec)
        layers.append({"system": f"hostile-{i}", "origins": [f"{SUMY}=Sumy"]})
        name = shown(spec["name"].strip())
        expected.append(
            LayerText("", "", ["Sumy"], system_name=name, variant_name=shown(text.strip()))
        )
        sources.append(shown(text.strip()))
        caveats.append(shown(text.strip()))
    recipe = {
        "title": "Specs",
        "subtitle": "Every name, variant, publisher and title is hostile.",
        "credit": "rangemap tests",
        "layers": layers,
        "places": PLACES,
    }
    path = folder / "recipe.yaml"
    path.write_text(yaml.safe_dump(recipe, allow_unicode=True), "utf-8")
    expect = Expect(
        title="Specs",
        subtitle="Every name, variant, publisher and title is hostile.",
        credit="rangemap tests",
        layers=expected,
        notes=[],
        sources=sources,
        caveats=caveats,
    )
    return path, expect


@dataclass
class Run:
    """What a command did: exit status and what it printed."""

    code: int
    out: str
    err: str

    def assert_ok(self) -> None:
        """Exit 0; on standard error at most one line, a warning of missing glyphs.

        The battery holds characters no installed font draws (emoji); one warning
        names their script.
        """
        assert "Traceback" not in self.err, self.err
        assert self.code == 0, f"exit {self.code}: {self.err}"
        lines = self.err.splitlines()
        assert len(lines) <= 1, self.err
        for line in lines:
            assert line.startswith("rangemap: warning: no installed font has the "), line

    def assert_refused(self, *names: str) -> list[str]:
        """Exit 2 with problems, one per line, no traceback; each name is mentioned."""
        assert "Traceback" not in self.err, self.err
        assert self.code == 2, f"exit {self.code}: {self.err}"
        lines = self.err.splitlines()
        assert lines, "no message"
        assert lines[0].startswith("rangemap: error: "), lines[0]
        for name in names:
            assert name in self.err, f"{name!r} is not named in {self.err!r}"
        return lines


def run(arguments: Sequence[str]) -> Run:
    """Run ``rangemap`` in this process and capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(arguments))
    return Run(code, out.getvalue(), err.getvalue())


# --- every surface, rendered once per test session ---------------------------------------

#: The formats a map is written in, by suffix.
FORMATS = ("html", "svg", "png", "pdf", "geojson", "kml", "gpkg")
#: The ways hostile text reaches a map.
SURFACES = ("api", "cli", "recipe", "spec")
#: The battery as the surface maps carry it: without the two 20,000-character strings,
#: which have tests of their own.
SURFACE_BATTERY: list[tuple[str, str]] = [(n, t) for n, t in BATTERY if len(t) < 1000]


@dataclass
class Surface:
    """One surface's map in every format, what it must show, and the commands' runs."""

    name: str
    entries: list[tuple[str, str]]
    expect: Expect
    files: dict[str, Path]
    runs: dict[str, Run]


#: The battery's text does not fit a social image with text of 6 pt or more (that is
#: refused, see test_long_text_in_static_images): static images are drawn large.
STATIC_SIZE = (2400, 2400)
STATIC_DPI = 100


def _options(fmt: str) -> list[str]:
    if fmt in ("svg", "png", "pdf"):
        return [f"--size={STATIC_SIZE[0]}x{STATIC_SIZE[1]}", f"--dpi={STATIC_DPI}"]
    return []


def _save_options(fmt: str) -> dict[str, Any]:
    if fmt in ("svg", "png", "pdf"):
        return {"size": STATIC_SIZE, "dpi": STATIC_DPI}
    return {}


@functools.cache
def surface(name: str) -> Surface:
    """Render the battery through surface ``name`` into every format (once a session).

    ``api``: :func:`api_surface_map` saved with :meth:`RangeMap.save`; ``cli``:
    ``rangemap map`` with :func:`cli_surface_args`; ``recipe``: ``rangemap map
    --recipe`` of :func:`write_surface_recipe`; ``spec``: ``rangemap map --recipe
    --specs DIR`` of :func:`write_spec_batch`. The files live in a temporary folder removed at exit.
    """
    folder = Path(tempfile.mkdtemp(prefix=f"rangemap-hostile-{name}-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    files = {fmt: folder / f"map.{fmt}" for fmt in FORMATS}
    runs: dict[str, Run] = {}
    if name == "api":
        entries = SURFACE_BATTERY
        scene, expect = api_surface_map(entries)
        for fmt, path in files.items():
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                scene.save(path, **_save_options(fmt))
            said = [str(item.message) for item in caught]
            assert len(said) <= 1, said  # one for every glyph no font has
            assert all(text.startswith("no installed font has the ") for text in said), said
    elif name == "cli":
        entries = [(n, t) for n, t in SURFACE_BATTERY if not cli_refuses(t)]
        for fmt, path in files.items():
            arguments, expect = cli_surface_args(entries, path)
            runs[fmt] = run([*arguments, *_options(fmt)])
    elif name == "recipe":
        entries = [(n, t) for n, t in SURFACE_BATTERY if not recipe_refuses(t, prefix=SUMY)]
        recipe = folder / "recipe.yaml"
        expect = write_surface_recipe(recipe, entries)
        for fmt, path in files.items():
            runs[fmt] = run(["map", "--recipe", str(recipe), "-o", str(path), *_options(fmt)])
    elif name == "spec":
        # Joined, so a text's own leading tab is inside a field: no control at all.
        entries = [(n, t) for n, t in SURFACE_BATTERY if not CONTROL.search(t)]
        recipe, expect = write_spec_batch(folder, entries)
        specs = ["--specs", str(folder / "specs")]
        for fmt, path in files.items():
            arguments = ["map", "--recipe", str(recipe), *specs, "-o", str(path)]
            runs[fmt] = run([*arguments, *_options(fmt)])
    else:
        msg = f"no surface {name!r}"
        raise ValueError(msg)
    return Surface(name, list(entries), expect, files, runs)


def _check_battery() -> None:
    names = [name for name, _ in BATTERY]
    assert len(names) == len(set(names)), "battery ids must be unique"
    assert len(BATTERY) >= 50
    for name, text in BATTERY:
        # Every entry shows something after cleaning, so "shown as written" can fail.
        assert clean(text).strip(), name
        assert unicodedata.is_normalized("NFC", text) or name == "nfd", name


_check_battery()
