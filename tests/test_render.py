"""The render package: the format registry, output checks, save, the embed snippet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rangemap.errors import InputError
from rangemap.reach import Reach
from rangemap.render import (
    API_NAMES,
    CLI_NAMES,
    Context,
    _registry,
    check_output,
    embed_path,
    prepare,
    register_writer,
    writers,
)
from rangemap.scene import RangeMap


@pytest.fixture(scope="module")
def atacms() -> Reach:
    return Reach.from_system("atacms", "50.9077, 34.7981=Sumy")


def test_register_writer_adds_a_format(tmp_path: Path, atacms: Reach) -> None:
    register_writer(".txt", lambda context: (context.scene.title or "").encode())
    try:
        assert ".txt" in writers()
        path = RangeMap(title="Kyiv").add(atacms).save(tmp_path / "title.txt")
        assert path.read_text() == "Kyiv"
    finally:
        _registry._FORMATS.pop(".txt")
    with pytest.raises(InputError, match="dot"):
        register_writer("kml", lambda context: b"")


def test_failed_write_keeps_the_old_file(tmp_path: Path, atacms: Reach) -> None:
    target = tmp_path / "map.broken"
    target.write_text("old map")

    def broken(context: Context) -> bytes:
        msg = "renderer failed"
        raise RuntimeError(msg)

    register_writer(".broken", broken)
    try:
        with pytest.raises(RuntimeError, match="renderer failed"):
            RangeMap().add(atacms).save(target)
    finally:
        _registry._FORMATS.pop(".broken")
    assert target.read_text() == "old map"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.broken"]


def test_embed_path() -> None:
    assert embed_path("out/atacms.html") == Path("out/atacms.embed.html")


@pytest.mark.parametrize(
    ("name", "kwargs", "api", "cli"),
    [
        ("map.txt", {}, "output:", "-o:"),
        ("map.png", {"embed": True}, "embed:", "--embed:"),
        ("map.html", {"preset": "square"}, "preset:", "--preset:"),
        ("map.kml", {"max_bytes": 10_000}, "max_bytes:", "--max-bytes:"),
        ("map.geojson", {"max_bytes": 0}, "max_bytes:", "--max-bytes:"),
        ("no-such-folder/map.html", {}, "output:", "-o:"),
    ],
)
def test_check_output_names_the_option(
    tmp_path: Path, name: str, kwargs: dict[str, object], api: str, cli: str
) -> None:
    path = tmp_path / name
    with pytest.raises(InputError) as caught:
        check_output(path, names=API_NAMES, **kwargs)  # type: ignore[arg-type]
    assert str(caught.value).startswith(api)
    with pytest.raises(InputError) as caught:
        check_output(path, names=CLI_NAMES, **kwargs)  # type: ignore[arg-type]
    assert str(caught.value).startswith(cli)


def test_check_output_checks_the_embed_snippet_too(tmp_path: Path) -> None:
    (tmp_path / "map.embed.html").mkdir()
    with pytest.raises(InputError, match="snippet"):
        check_output(tmp_path / "map.html", embed=True)
    assert not (tmp_path / "map.html").exists()


def test_places_are_queried_once_per_save(tmp_path: Path, atacms: Reach) -> None:
    m = RangeMap().add(atacms).show_places(3, countries="RU")
    calls = []
    original = RangeMap._place_columns

    def counted(self: RangeMap) -> dict[str, Any] | None:
        calls.append(1)
        return original(self)

    RangeMap._place_columns = counted  # type: ignore[method-assign]
    try:
        m.save(tmp_path / "map.png")
    finally:
        RangeMap._place_columns = original  # type: ignore[method-assign]
    assert calls == [1]


def test_prepare_numbers_sources_once(atacms: Reach) -> None:
    m = RangeMap().add(atacms)
    context = prepare(m)
    assert [context.number(s) for s in context.sources] == list(range(1, len(context.sources) + 1))
    assert context.layer_numbers(m.layers[0]) == sorted({context.number(s) for s in atacms.sources})
