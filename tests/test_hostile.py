"""The hostile-string battery through every surface and every file format (no browser).

Surfaces: the Python API, the flags of ``rangemap map``, output file names, recipe
fields, spec fields (``--specs DIR``) and ``rangemap places``. Formats: HTML (its
markup; the browser tests open it), SVG, PNG, PDF, GeoJSON, KML, GeoPackage, and CSV
and JSON for places. Every command exits 0, or 2 with one clear line per problem, and
never prints a traceback; every file parses and shows each text as
:func:`rangemap.escaping.clean` makes it. The battery is in ``tests/hostile.py``.

matplotlib's fonts have no CJK or emoji glyphs; its "Glyph ... missing from font(s)"
warning (font coverage, not a fault) is ignored here.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import json
import re
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import unquote

import pytest
import yaml
from hostile import (
    BATTERY,
    CONTROL,
    FORMATS,
    KYIV,
    LONG_UNBROKEN,
    LONG_WORDS,
    STATIC_SIZE,
    SUMY,
    SURFACES,
    Expect,
    LayerText,
    Run,
    Surface,
    cli_refuses,
    file_stem,
    label_shown,
    recipe_refuses,
    run,
    shown,
    spec_control,
    spec_copy,
    spec_fields,
    spec_refuses,
    squash,
    surface,
    terminal_unsafe,
    write_spec,
)

from rangemap import RangeMap, Reach
from rangemap.errors import InputError, RangemapError
from rangemap.escaping import clean

pytestmark = pytest.mark.filterwarnings("ignore:Glyph .* missing from font:UserWarning")

ROOT = Path(__file__).resolve().parents[1]
IDS = [name for name, _ in BATTERY]
TEXTS = [text for _, text in BATTERY]
KML = "{http://www.opengis.net/kml/2.2}"
SVG = "{http://www.w3.org/2000/svg}"


# --- the battery ----------------------------------------------------------------------


def test_battery_holds_every_kind_of_payload() -> None:
    required = [
        "<script>__rm_hit()</script>",
        "<img src=x onerror=__rm_hit()>",
        "<svg onload=__rm_hit()>",
        "<details open ontoggle=__rm_hit()>",
        '<iframe srcdoc="<script>parent.__rm_hit()</script>">',
        '" onmouseover="__rm_hit()',
        "' autofocus onfocus='__rm_hit()",
        "</script><script>__rm_hit()</script>",
        "</style><script>__rm_hit()</script>",
        "]]><script>__rm_hit()</script>",
        "<!--",
        "-->",
        "<![CDATA[x]]>",
        "{{ 7*7 }}",
        "{% raw %}",
        "{#3}",
        "{{ lipsum.__globals__.os.popen('id').read() }}",
        "{{ self.__init__.__globals__ }}",
        "${__rm_hit()}",
        "`${__rm_hit()}`",
        "';__rm_hit();//",
        '";__rm_hit();//',
        '\\";__rm_hit();//',
        "javascript:__rm_hit()",
        "JaVaScRiPt:__rm_hit()",
        "data:text/html,<script>__rm_hit()</script>",
        "&lt;script&gt;__rm_hit()&lt;/script&gt;",
        "&#60;script&#62;",
        '<base href="https://evil.example/">',
        '<meta http-equiv="refresh" content="0;url=javascript:__rm_hit()">',
        "<style>*{background:url(https://evil.example/x)}</style>",
        "<link rel=stylesheet href=https://evil.example/x.css>",
        "<form action=javascript:__rm_hit()><button>x</button></form>",
        '<math><a xlink:href="javascript:__rm_hit()">x</a></math>',
        "\u202eevil\u202c",
        "\u2066x\u2069",
        *"\x00\x01\x07\x0b\x7f\x85\x9b\ufeff\u2028\u2029",
        "\x1b[31m",
        "\x1b]52;c;ZXZpbA==\x07",
        "%s%n",
        "{0}",
        "$(id)",
        "; id",
        "| id",
        "- x",
        "key: value",
        "!!python/object",
        '=HYPERLINK("https://evil.example","x")',
        "+1",
        "-1",
        "@SUM(1)",
        "\u05e9\u05dc\u05d5\u05dd",  # Hebrew
        "\u0645\u0631\u062d\u0628\u0627",  # Arabic
        "\u5317\u4eac",  # CJK
        "\u200d",  # emoji joined by ZWJ
    ]
    for payload in required:
        assert any(payload in text for text in TEXTS), f"no battery string holds {payload!r}"
    assert len(BATTERY) >= 50
    assert any(len(text) == 20_000 for text in TEXTS)


# --- checks of each format ------------------------------------------------------------


def _no_controls(value: Any, where: str, *, newlines: bool = False) -> None:
    """Fail if any string in ``value`` (walked) holds a control or bidi character."""
    if isinstance(value, str):
        bad = terminal_unsafe(value) if newlines else CONTROL.findall(value)
        assert not bad, f"{where}: {bad!r} in {value[:80]!r}"
    elif isinstance(value, dict):
        for key, item in value.items():
            _no_controls(key, where, newlines=newlines)
            _no_controls(item, f"{where}.{key}", newlines=newlines)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _no_controls(item, f"{where}[{i}]", newlines=newlines)


def check_geojson(path: Path, expect: Expect) -> None:
    data = json.loads(path.read_text("utf-8"))
    _no_controls(data, "geojson")
    assert data["title"] == expect.title
    reach = [f for f in data["features"] if f["properties"].get("kind") != "place"]
    places = [f["properties"] for f in data["features"] if f["properties"].get("kind") == "place"]
    assert len(reach) == len(expect.layers)
    for feature, layer in zip(reach, expect.layers, strict=True):
        properties = feature["properties"]
        if layer.name:
            assert (properties["name"], properties["label"]) == (layer.name, layer.label)
        if layer.system_name:
            assert properties["system_name"] == layer.system_name
            assert properties["variant_name"] == layer.variant_name
            assert layer.system_name in properties["name"]
        assert properties["origins"] == layer.origins
    pairs = {(s["publisher"], s["title"]) for f in reach for s in f["properties"]["sources"]}
    for text in expect.sources:
        assert (text, text) in pairs
    assert [p["name"] for p in places][:1] == ["Kursk"]
    assert len(places) == 2
    for place in places:
        assert place["nearest_origin"] in expect.origins


def _kml_text(element: ET.Element | None, tag: str) -> str:
    assert element is not None
    value = element.findtext(f"{KML}{tag}")
    assert value is not None, f"no {tag}"
    return value


def check_kml(path: Path, expect: Expect) -> None:
    root = ET.parse(path).getroot()  # well-formed XML, whatever the text
    for element in root.iter():
        # Line breaks may stay in KML text; nothing else a terminal or viewer could run.
        _no_controls([element.text or "", *element.attrib.values()], "kml", newlines=True)
    document = root.find(f"{KML}Document")
    assert document is not None
    # Read as a person would: line breaks as spaces.
    assert clean(_kml_text(document, "name")) == expect.title
    about = html.unescape(clean(_kml_text(document, "description")))
    assert expect.subtitle in about
    assert expect.credit in about
    folders = {_kml_text(f, "name"): f for f in document.iter(f"{KML}Folder")}
    reach = folders["Reach"].findall(f"{KML}Placemark")
    assert len(reach) == len(expect.layers)
    for placemark, layer in zip(reach, expect.layers, strict=True):
        name = clean(_kml_text(placemark, "name"))
        data = {
            d.get("name"): clean(d.findtext(f"{KML}value") or "")
            for d in placemark.iter(f"{KML}Data")
        }
        description = html.unescape(_kml_text(placemark, "description"))
        if layer.name:
            assert name == layer.name
            assert data["label"] == layer.label
            assert description.startswith(layer.name)
        if layer.system_name:
            assert layer.system_name in name
            assert data["system_name"] == layer.system_name
            assert data["variant_name"] == layer.variant_name
        assert data["origins"] == "; ".join(layer.origins)
    origins = [clean(_kml_text(p, "name")) for p in folders["Origins"].findall(f"{KML}Placemark")]
    assert set(origins) == set(expect.origins)
    cities = folders["Cities in range"].findall(f"{KML}Placemark")
    assert [_kml_text(p, "name") for p in cities][:1] == ["Kursk"]
    assert len(cities) == 2
    for placemark in cities:
        values = {
            d.get("name"): d.findtext(f"{KML}value") or "" for d in placemark.iter(f"{KML}Data")
        }
        assert values["nearest_origin"] in expect.origins


def check_gpkg(path: Path, expect: Expect) -> None:
    import geopandas
    import pyogrio

    assert {name for name, _ in pyogrio.list_layers(path)} == {"reach", "origins", "places"}
    frames = {
        name: geopandas.read_file(path, layer=name, engine="pyogrio")
        for name in ("reach", "origins", "places")
    }
    for name, frame in frames.items():
        for column in frame.columns:
            if column == "geometry":
                continue
            for value in frame[column]:
                if isinstance(value, str):
                    # "sources" and "caveats" keep one item per line; nothing else breaks a line.
                    _no_controls(
                        value, f"{name}.{column}", newlines=column in ("sources", "caveats")
                    )
    reach = frames["reach"]
    assert len(reach) == len(expect.layers)
    for i, layer in enumerate(expect.layers):
        row = reach.iloc[i]
        if layer.name:
            assert (row["name"], row["label"]) == (layer.name, layer.label)
        if layer.system_name:
            assert (row["system_name"], row["variant_name"]) == (
                layer.system_name,
                layer.variant_name,
            )
        assert row["origins"] == "; ".join(layer.origins)
    assert set(frames["origins"]["label"]) == set(expect.origins)
    assert list(frames["places"]["name"])[:1] == ["Kursk"]
    assert len(frames["places"]) == 2
    assert set(frames["places"]["nearest_origin"]) <= set(expect.origins)


def _svg_root(path: Path) -> ET.Element:
    root = ET.parse(path).getroot()  # well-formed XML, whatever the text
    for element in root.iter():
        tag = element.tag.rpartition("}")[2]
        assert tag not in ("script", "foreignObject", "iframe", "a", "use-outside"), tag
        for key, value in element.attrib.items():
            name = key.rpartition("}")[2].lower()
            assert not name.startswith("on"), f"{tag} has {key}={value!r}"
            if name == "href":
                assert value.startswith(("#", "data:image/")), f"{tag} links to {value!r}"
    return root


def svg_text(path: Path) -> str:
    """The text of every ``<text>`` element of an SVG, in document order."""
    root = _svg_root(path)
    return "".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))


def check_svg(path: Path, expect: Expect) -> None:
    text = svg_text(path)
    assert text, "the SVG keeps no text as text"
    _no_controls(text, "svg")
    flat = squash(text)
    for wanted in expect.texts():
        # Wrapped into lines: compared without whitespace.
        assert squash(wanted) in flat, f"{wanted[:60]!r} is not in the SVG"


def check_png(path: Path, size: tuple[int, int] = (1200, 675)) -> None:
    from PIL import Image

    with Image.open(path) as image:
        image.verify()
    with Image.open(path) as image:
        image.load()
        assert image.format == "PNG"
        assert image.size == size


def check_pdf(path: Path) -> None:
    import pypdf

    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Measured from" in text
    _no_controls({str(k): str(v) for k, v in (reader.metadata or {}).items()}, "pdf metadata")


#: Elements no hostile text may bring into a page.
FORBIDDEN_TAGS = frozenset(
    [
        "iframe",
        "img",
        "svg",
        "math",
        "object",
        "embed",
        "base",
        "link",
        "form",
        "input",
        "button",
        "textarea",
        "select",
        "details",
        "noscript",
        "plaintext",
        "template",
        "video",
        "audio",
        "source",
        "frame",
        "frameset",
        "xmp",
        "marquee",
    ]
)


class _Page(HTMLParser):
    """Collect a page's tags, attributes, inline scripts and styles, and body text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.blocks: list[tuple[str, dict[str, str], str]] = []
        self.text: list[str] = []
        self._open: tuple[str, dict[str, str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = {k: v or "" for k, v in attrs}
        self.attributes += [(tag, k, v) for k, v in values.items()]
        if tag in ("script", "style"):
            self._open = (tag, values)

    def handle_endtag(self, tag: str) -> None:
        if self._open is not None and tag == self._open[0]:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self.blocks.append((self._open[0], self._open[1], data))
        else:
            self.text.append(data)


def _sha256(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
    return f"'sha256-{digest}'"


def check_html(path: Path, expect: Expect) -> None:
    """The page's markup is rangemap's own; every text is in it as text or as data."""
    page = _Page()
    page.feed(path.read_text("utf-8"))
    page.close()
    assert not FORBIDDEN_TAGS & set(page.tags), FORBIDDEN_TAGS & set(page.tags)
    for tag in ("html", "head", "title", "body", "header", "footer"):
        assert page.tags.count(tag) == 1, tag
    for tag, name, value in page.attributes:
        assert not name.startswith("on"), f"<{tag} {name}={value!r}>"
        assert name not in ("style", "srcdoc", "formaction", "xmlns"), f"<{tag} {name}>"
        if name == "href":
            assert tag == "a"
            assert value.startswith(("https://", "http://")), value
        if tag == "meta":
            assert name in ("charset", "http-equiv", "content", "name"), name
    policy = [v for t, n, v in page.attributes if t == "meta" and n == "content"]
    csp = next(v for v in policy if v.startswith("default-src 'none'; script-src "))
    data: dict[str, Any] | None = None
    for tag, attrs, body in page.blocks:
        if attrs.get("type") == "application/json":
            data = json.loads(body)
            continue
        directive = "script-src" if tag == "script" else "style-src"
        allowed = re.search(rf"{directive} ([^;]*)", csp)
        assert allowed is not None
        assert _sha256(body) in allowed.group(1).split(), f"an unlisted <{tag}>: {body[:80]!r}"
    assert data is not None
    _no_controls(data, "rm-data")
    text = "".join(page.text)
    for wanted in (expect.title, expect.subtitle, expect.credit):
        assert wanted in text
    for layer in expect.layers:
        for maybe in (layer.name, layer.system_name, layer.variant_name):
            assert maybe is None or maybe in text
    labels = data["labels"]
    origins = [label[2] for label in labels if label[3] == "rm-origin"]
    notes = [label[2] for label in labels if label[3] == "rm-note"]
    assert sorted(set(origins)) == sorted(expect.origins)
    assert sorted(notes) == sorted(expect.notes)
    names = [html.unescape(name) for name, _ in data["overlays"]]
    for layer in expect.layers:
        if layer.name:
            assert layer.name in names


# --- the four surfaces, in every format -------------------------------------------------


@pytest.fixture(scope="module", params=SURFACES)
def rendered(request: pytest.FixtureRequest) -> Surface:
    """The battery through one surface, in every format (rendered once a session)."""
    result = surface(request.param)
    for fmt in FORMATS:
        assert result.files[fmt].is_file(), fmt
    return result


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", [name for name in SURFACES if name != "api"])
def test_commands_exit_cleanly(name: str, fmt: str) -> None:
    """``rangemap map`` with the battery in its flags, recipe or specs: exit 0, quiet."""
    rendered = surface(name)
    result = rendered.runs[fmt]
    result.assert_ok()
    assert result.out == f"{rendered.files[fmt]}\n"


def test_surface_html(rendered: Surface) -> None:
    check_html(rendered.files["html"], rendered.expect)


def test_surface_svg(rendered: Surface) -> None:
    check_svg(rendered.files["svg"], rendered.expect)


def test_surface_png(rendered: Surface) -> None:
    check_png(rendered.files["png"], STATIC_SIZE)


def test_surface_pdf(rendered: Surface) -> None:
    check_pdf(rendered.files["pdf"])


def test_surface_geojson(rendered: Surface) -> None:
    check_geojson(rendered.files["geojson"], rendered.expect)


def test_surface_kml(rendered: Surface) -> None:
    check_kml(rendered.files["kml"], rendered.expect)


def test_surface_gpkg(rendered: Surface) -> None:
    check_gpkg(rendered.files["gpkg"], rendered.expect)


# --- the 20,000-character strings -----------------------------------------------------


@pytest.mark.parametrize("text", [LONG_WORDS, LONG_UNBROKEN], ids=["words", "unbroken"])
def test_long_text_in_vector_formats(tmp_path: Path, text: str) -> None:
    scene = RangeMap(title=text, subtitle=text, credit=text)
    scene.add(Reach.from_distance(200_000, f"{SUMY}={text}", label=text), name=text)
    scene.show_places(2, min_population=100_000, countries=["RU"])
    scene.annotate(text, lon=36.19, lat=51.73)
    expect = Expect(
        title=shown(text),
        subtitle=shown(text),
        credit=shown(text),
        layers=[LayerText(shown(text), shown(text), [label_shown(text)])],
        notes=[shown(text)],
    )
    for fmt, check in (("html", check_html), ("geojson", check_geojson), ("kml", check_kml)):
        check(scene.save(tmp_path / f"map.{fmt}"), expect)
    check_gpkg(scene.save(tmp_path / "map.gpkg"), expect)


class _Deadline(Exception):
    pass


def _expire(signum: int, frame: FrameType | None) -> None:
    raise _Deadline


def _render_within(scene: RangeMap, path: Path, seconds: int, **options: Any) -> None:
    """Save ``scene``; fail if it takes more than ``seconds`` (SIGALRM)."""
    previous = signal.signal(signal.SIGALRM, _expire)
    signal.alarm(seconds)
    try:
        scene.save(path, **options)
    except _Deadline:
        pytest.fail(f"{path.name} took more than {seconds} s")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    ("text", "fmt", "everywhere", "seconds"),
    [
        pytest.param(LONG_WORDS, "svg", True, 30, id="words-svg"),
        pytest.param(LONG_WORDS, "png", False, 30, id="words-png"),
        pytest.param(LONG_WORDS, "pdf", False, 30, id="words-pdf"),
        pytest.param(LONG_UNBROKEN, "svg", False, 3, id="unbroken-svg"),
    ],
)
def test_long_text_in_static_images(
    tmp_path: Path, text: str, fmt: str, everywhere: bool, seconds: int
) -> None:
    """A 20,000-character title (and legend and note) is refused in seconds, in words.

    It cannot fit a social image with text of 6 pt or more; the message names the title
    and what to do, and nothing is written.
    """
    scene = RangeMap(title=text)
    scene.add(Reach.from_distance(200_000, f"{SUMY}=Sumy"), name=text if everywhere else None)
    if everywhere:
        scene.annotate(text, lon=36.19, lat=51.73)
    path = tmp_path / f"map.{fmt}"
    with pytest.raises(InputError, match=r"20,000-character title does not fit") as caught:
        _render_within(scene, path, seconds, preset="social")
    assert "shorten the title" in str(caught.value)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("fmt", "preset"), [("pdf", None), ("png", "square")])
def test_static_overflow(tmp_path: Path, fmt: str, preset: str | None) -> None:
    """Text that cannot fit the stacked layout is drawn anyway, or refused in words."""
    scene = RangeMap(title=LONG_WORDS[:5000])
    scene.add(Reach.from_distance(100_000, f"{KYIV}=Kyiv"))
    try:
        scene.save(tmp_path / f"map.{fmt}", preset=preset)
    except RangemapError:
        return  # a clear refusal is fine
    assert (tmp_path / f"map.{fmt}").stat().st_size > 0


def test_print_preset_with_hostile_text(tmp_path: Path) -> None:
    """The PDF default (print, stacked layout) draws a map of hostile texts that fit."""
    entries = [(n, t) for n, t in BATTERY if len(t) < 60][:12]
    scene = RangeMap(title=" | ".join(t for _, t in entries[:4]))
    scene.subtitle = " | ".join(t for _, t in entries[4:8])
    scene.credit = " | ".join(t for _, t in entries[8:])
    for _, text in entries:
        scene.annotate(text, lon=36.19, lat=51.73)
    scene.add(Reach.from_distance(200_000, [f"{SUMY}={t}" for _, t in entries[:3]]))
    check_pdf(scene.save(tmp_path / "map.pdf"))
    check_png(scene.save(tmp_path / "map.png"))


# --- the command line, one string at a time ------------------------------------------------

_cli_runs: dict[str, tuple[Path, Run]] = {}


def _cli_run(tmp_path_factory: pytest.TempPathFactory, text: str) -> tuple[Path, Run]:
    """``rangemap map`` with ``text`` in every flag and the output's file name (cached)."""
    if text not in _cli_runs:
        folder = tmp_path_factory.mktemp("cli")
        output = folder / f"{file_stem(text)}.kml"
        result = run(
            [
                "map",
                f"--title={text}",
                f"--subtitle={text}",
                f"--credit={text}",
                "--distance=100 km",
                f"--label={text}",
                f"--from={KYIV}={text}",
                "-o",
                str(output),
            ]
        )
        _cli_runs[text] = (output, result)
    return _cli_runs[text]


@pytest.mark.parametrize("text", TEXTS, ids=IDS)
def test_cli_flags(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    output, result = _cli_run(tmp_path_factory, text)
    if cli_refuses(text):
        lines = result.assert_refused("--title", "not valid UTF-8")
        assert len(lines) == 1
        assert not output.exists()
        return
    result.assert_ok()
    assert output.is_file()  # under exactly the name given
    assert [p.name for p in output.parent.iterdir()] == [output.name]  # no temporary left
    expect = Expect(
        title=shown(text),
        subtitle=shown(text),
        credit=shown(text),
        layers=[LayerText(shown(text), shown(text), [label_shown(text)])],
        notes=[],
    )
    root = ET.parse(output).getroot()
    document = root.find(f"{KML}Document")
    assert document is not None
    assert clean(_kml_text(document, "name")) == expect.title
    reach = document.find(f"{KML}Folder/{KML}Placemark")
    assert clean(_kml_text(reach, "name")) == shown(text)
    origin = [f for f in document.iter(f"{KML}Folder") if _kml_text(f, "name") == "Origins"]
    assert clean(_kml_text(origin[0].find(f"{KML}Placemark"), "name")) == label_shown(text)
    about = html.unescape(clean(_kml_text(document, "description")))
    assert about.startswith(f"{shown(text)}<br/>{shown(text)}")
    for element in root.iter():
        _no_controls([element.text or "", *element.attrib.values()], "kml", newlines=True)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            text,
            id=name,
        )
        for name, text in BATTERY
        if not cli_refuses(text)
    ],
)
def test_cli_prints_output_name_safely(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    output, result = _cli_run(tmp_path_factory, text)
    assert result.code == 0
    assert terminal_unsafe(result.out) == [], f"raw {terminal_unsafe(result.out)!r} on stdout"
    if not terminal_unsafe(str(output)):
        assert result.out == f"{output}\n"


@pytest.mark.parametrize(
    "char",
    [
        pytest.param("a", id="ascii"),
        pytest.param("\u0416", id="cyrillic"),
        pytest.param("\u6f22", id="cjk"),
        pytest.param("\U0001f469", id="emoji"),
    ],
)
def test_cli_longest_file_names(tmp_path: Path, char: str) -> None:
    """A file name of up to 255 bytes, the most Linux allows, can be written."""
    name = char * ((255 - len(".kml")) // len(char.encode())) + ".kml"
    output = tmp_path / name
    result = run(["map", "--distance=100 km", f"--from={KYIV}=Kyiv", "-o", str(output)])
    result.assert_ok()
    assert output.is_file()


@pytest.mark.parametrize("text", TEXTS, ids=IDS)
def test_embed_snippet_markup(text: str) -> None:
    """The ``<iframe>`` snippet holds the title and address as attribute values only."""
    src = f"{file_stem(text)}.html"
    snippet = RangeMap(title=text).embed_snippet(src)
    page = _Page()
    page.feed(snippet)
    page.close()
    assert page.tags == ["div", "iframe", "noscript", "style", "script"]
    iframe = {name: value for tag, name, value in page.attributes if tag == "iframe"}
    assert set(iframe) == {"id", "src", "title", "loading", "scrolling", "style", "sandbox"}
    assert iframe["title"] == shown(text)
    # The name as text (cleaned), or as a URL path (percent-encoded): never markup.
    assert iframe["src"] == shown(src) or unquote(iframe["src"]) == src
    assert iframe["sandbox"] == "allow-scripts allow-popups allow-popups-to-escape-sandbox"
    assert "".join(page.text).strip() == ""
    # The <noscript> style and the listener are the same for every map but for the
    # frame's id (hex digits): no title or address in either.
    plain = _Page()
    plain.feed(RangeMap(title="x").embed_snippet("x.html"))
    plain.close()
    assert [re.sub(r"rangemap-[0-9a-f]{12}", "ID", b[2]) for b in page.blocks] == [
        re.sub(r"rangemap-[0-9a-f]{12}", "ID", b[2]) for b in plain.blocks
    ]


# --- recipes, one string at a time -------------------------------------------------------


@pytest.mark.parametrize("text", TEXTS, ids=IDS)
def test_recipe_fields(tmp_path: Path, text: str) -> None:
    recipe = {
        "title": text,
        "subtitle": text,
        "credit": text,
        "layers": [{"distance": "100 km", "label": text, "origins": [f"{KYIV}={text}"]}],
        "annotations": [{"text": text, "at": "51.73, 36.19"}],
    }
    path = tmp_path / "recipe.yaml"
    path.write_text(yaml.safe_dump(recipe, allow_unicode=True), "utf-8")
    output = tmp_path / "map.kml"
    result = run(["map", "--recipe", str(path), "-o", str(output)])
    if recipe_refuses(text, prefix=f"{KYIV}="):
        lines = result.assert_refused(str(path))
        assert len(lines) == 1
        assert not output.exists()
        return
    result.assert_ok()
    root = ET.parse(output).getroot()
    document = root.find(f"{KML}Document")
    assert document is not None
    assert clean(_kml_text(document, "name")) == shown(text)
    reach = root.find(f"{KML}Document/{KML}Folder/{KML}Placemark")
    assert clean(_kml_text(reach, "name")) == shown(text)
    about = html.unescape(clean(_kml_text(document, "description")))
    assert about.startswith(f"{shown(text)}<br/>{shown(text)}")
    origins = [f for f in document.iter(f"{KML}Folder") if _kml_text(f, "name") == "Origins"]
    assert clean(_kml_text(origins[0].find(f"{KML}Placemark"), "name")) == label_shown(text)


@pytest.mark.parametrize(
    "char", ["\x00", "\x01", "\x07", "\x0b", "\x1b", "\x7f", "\x80", "\x9b", "\ufffe"]
)
def test_recipe_refuses_raw_control_characters(tmp_path: Path, char: str) -> None:
    """Characters YAML cannot hold as they are, written raw into the file: exit 2."""
    path = tmp_path / "recipe.yaml"
    path.write_text(
        f'title: "Kyiv{char}map"\nlayers:\n  - distance: 100 km\n    origins: ["Kyiv"]\n', "utf-8"
    )
    result = run(["map", "--recipe", str(path), "-o", str(tmp_path / "map.html")])
    lines = result.assert_refused(str(path), "line 1", f"U+{ord(char):04X}")
    assert len(lines) == 1
    assert terminal_unsafe(result.err) == []


def test_recipe_refuses_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "recipe.yaml"
    path.write_bytes(b'title: "Kyiv\x80\xffmap"\nlayers: [{distance: 100 km, origins: [Kyiv]}]\n')
    result = run(["map", "--recipe", str(path), "-o", str(tmp_path / "map.html")])
    assert len(result.assert_refused(str(path), "UTF-8")) == 1


# --- specs, one string at a time -------------------------------------------------------


@pytest.mark.parametrize("text", TEXTS, ids=IDS)
def test_spec_fields(tmp_path: Path, text: str) -> None:
    spec = spec_copy(text)
    path = write_spec(tmp_path / "specs", spec)
    output = tmp_path / "map.geojson"
    result = run(
        ["map", "atacms", "--specs", str(path.parent), f"--from={SUMY}=Sumy", "-o", str(output)]
    )
    if re.search("[\ud800-\udfff]", text):
        # yaml.safe_dump writes a lone surrogate as "\udc80", which YAML refuses.
        assert len(result.assert_refused(str(path))) == 1
        return
    if spec_refuses(text):
        lines = result.assert_refused(str(path))
        if path.stat().st_size > 1_048_576:
            # A long string in every field: the file is refused whole, by its size.
            assert len(lines) == 1
            assert "larger than 1 MB" in lines[0]
            assert not output.exists()
            return
        named = set()
        for line in lines:
            match = re.fullmatch(
                rf"(?:rangemap: error: )?{re.escape(str(path))}: ([^: ]+): (.*)", line
            )
            assert match is not None, f"not one problem naming a field: {line!r}"
            problem = match.group(2)
            assert re.search("contains U[+]|too long|no letters or digits", problem), line
            named.add(match.group(1))
        # Control characters in every field; a name of signs only in the name.
        assert named == (spec_fields(spec) if spec_control(text) else {"name"})
        assert terminal_unsafe(result.err) == []
        assert not output.exists()
        return
    result.assert_ok()
    data = json.loads(output.read_text("utf-8"))
    _no_controls(data, "geojson")
    want = shown(text.strip())
    properties = data["features"][0]["properties"]
    assert properties["system_name"] == want
    assert properties["variant_name"] == want
    assert want in properties["name"]
    assert want in data["title"]  # "What <name> can reach from Sumy"
    for source in properties["sources"]:
        assert (source["publisher"], source["title"]) == (want, want)


_REFUSED_URLS = [
    "javascript:__rm_hit()",
    "JaVaScRiPt:__rm_hit()",
    "data:text/html,<script>__rm_hit()</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "https://evil.example\\@www.reuters.com/",
    "https://user@www.reuters.com/",
    "http://127.0.0.1/x",
    "https://localhost/x",
    'https://example.org/"><svg onload=__rm_hit()>',
    "https://www.reuters.com/\x1b[31m",
    "https://www.reuters.com/\u202eevil",
]


@pytest.mark.parametrize("url", _REFUSED_URLS)
def test_spec_refuses_unsafe_urls(tmp_path: Path, url: str) -> None:
    spec = yaml.safe_load((ROOT / "specs" / "atacms.yaml").read_text("utf-8"))
    spec["sources"]["lockheed-2016"]["url"] = url
    path = write_spec(tmp_path / "specs", spec)
    output = tmp_path / "map.html"
    result = run(
        ["map", "atacms", "--specs", str(path.parent), f"--from={SUMY}=Sumy", "-o", str(output)]
    )
    lines = result.assert_refused(str(path), "sources.lockheed-2016.url")
    assert len(lines) == 1
    assert terminal_unsafe(result.err) == []
    assert not output.exists()


# --- rangemap places, one string at a time --------------------------------------------


@pytest.mark.parametrize("text", TEXTS, ids=IDS)
def test_places_csv_and_json(tmp_path: Path, text: str) -> None:
    base = ["places", "--distance=60 km", f"--from={KYIV}={text}", "--limit=3"]
    csv_path, json_path = tmp_path / "places.csv", tmp_path / "places.json"
    csv_run = run([*base, "--format=csv", "-o", str(csv_path)])
    json_run = run([*base, "--format=json", "-o", str(json_path)])
    if cli_refuses(text):
        for result in (csv_run, json_run):
            assert len(result.assert_refused("--from", "not valid UTF-8")) == 1
        return
    csv_run.assert_ok()
    json_run.assert_ok()
    label = label_shown(text)
    rows = list(csv.reader(io.StringIO(csv_path.read_text("utf-8"), newline="")))
    header, body = rows[0], rows[1:]
    assert len(body) == 3
    for row in body:
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), f"a formula: {cell!r}"
            _no_controls(cell, "csv")
        origin = row[header.index("nearest_origin")]
        formula = label[:1] in ("=", "+", "-", "@") or text.strip()[:1] in ("\t", "\r")
        assert origin == ("'" + label if formula else label)
    payload = json.loads(json_path.read_text("utf-8"))
    _no_controls(payload, "json")
    assert [p["nearest_origin"] for p in payload["places"]] == [label] * 3
    assert label in payload["reach"]


# --- real processes ------------------------------------------------------------------------


def _rangemap(*arguments: str | bytes, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "rangemap", *arguments],
        capture_output=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_process_refuses_undecodable_argument(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 on a real command line: one line naming the option."""
    done = _rangemap(
        "map", "--distance=100 km", "--from=Kyiv", b"--title=Kyiv \xff\x1b[2J", "-o", "m.html",
        cwd=tmp_path,
    )  # fmt: skip
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2
    assert b"Traceback" not in done.stderr
    assert err.count("\n") == 1
    assert err.startswith("rangemap: error: --title: ")
    assert terminal_unsafe(err) == []
    assert list(tmp_path.iterdir()) == []


def test_process_hostile_everywhere(tmp_path: Path) -> None:
    """One real run with hostile title, label, origins and file name, then a failing one."""
    # A command line cannot hold NUL.
    texts = [t for _, t in BATTERY if len(t) < 60 and not cli_refuses(t) and "\x00" not in t]
    name = file_stem("<img src=x onerror=__rm_hit()> \u202e $(id) ;{{7*7}}") + ".geojson"
    done = _rangemap(
        "map",
        "--distance=100 km",
        f"--title={' | '.join(texts)}",
        f"--label={texts[0]}",
        *(f"--from={KYIV}={t}" for t in texts[:10]),
        "-o",
        name,
        cwd=tmp_path,
    )
    assert b"Traceback" not in done.stderr
    assert (done.returncode, done.stderr) == (0, b"")
    data = json.loads((tmp_path / name).read_text("utf-8"))
    assert data["title"] == shown(" | ".join(texts))
    assert data["features"][0]["properties"]["origins"] == [label_shown(t) for t in texts[:10]]
    # An unknown system whose name is an escape sequence: one clean line, exit 2.
    done = _rangemap(
        "map", "\x1b]52;c;ZXZpbA==\x07<script>", "--from=Kyiv", "-o", "x.html", cwd=tmp_path
    )
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2
    assert "Traceback" not in err
    assert err.count("\n") == 1
    assert terminal_unsafe(err) == []
    assert not (tmp_path / "x.html").exists()


def test_process_long_title_pdf(tmp_path: Path) -> None:
    """The overflow of test_static_overflow, from the real command: a traceback, exit 1."""
    done = _rangemap(
        "map", "--distance=100 km", "--from=Kyiv", f"--title={LONG_WORDS[:5000]}", "-o", "m.pdf",
        cwd=tmp_path,
    )  # fmt: skip
    assert b"Traceback" not in done.stderr
    assert done.returncode in (0, 2)


def test_specs_list_is_terminal_safe() -> None:
    """The spec batch, listed on the terminal: names as written, nothing raw."""
    batch = surface("spec")
    folder = batch.files["html"].parent / "specs"
    result = run(["specs", "list", "--specs", str(folder)])
    result.assert_ok()
    assert terminal_unsafe(result.out) == []
    listed = squash(result.out)
    for layer in batch.expect.layers:
        assert layer.system_name is not None
        assert squash(layer.system_name)[:40] in listed
