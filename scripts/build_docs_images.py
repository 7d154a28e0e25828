"""Draw the Hebrew and Arabic example images of ``docs/languages.md``.

``docs/images/static-he.png`` and ``static-ar.png`` are the flagship recipe
(``rangemap demo``) in the ``social`` preset with ``language: he`` and ``language: ar``,
and a title, subtitle and credit written in that language (below). Run it after a change
to how static images lay out text::

    python scripts/build_docs_images.py

It needs the static extra (``pip install ".[static]"``) and no network.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from rangemap.recipes import flagship_recipe, load_recipe

DOCS = Path(__file__).resolve().parents[1] / "docs" / "images"

#: The editor's words of each image, as a Hebrew or Arabic desk would write them.
TEXTS = {
    "he": {
        "title": "לאן מגיעים טילי ATACMS מצפון־מזרח אוקראינה",
        "subtitle": (
            "ב־17 בנובמבר 2024 התירה ארצות הברית לאוקראינה לירות טילי ATACMS מתוצרת "
            "אמריקנית אל מטרות בתוך רוסיה. מוצלל: כל מקום בטווח המדווח של שתי הגרסאות "
            "שאוקראינה קיבלה, נמדד מהערים סומי וחרקוב."
        ),
        "credit": "מפה: rangemap. המרחקים נמדדים ממרכזי הערים, לא מאתרי השיגור.",
    },
    "ar": {
        "title": "المناطق التي يمكن أن تبلغها صواريخ ATACMS من شمال شرق أوكرانيا",
        "subtitle": (
            "في 17 نوفمبر 2024 سمحت الولايات المتحدة لأوكرانيا بإطلاق صواريخ ATACMS "
            "الأمريكية الصنع على أهداف داخل روسيا. المناطق المظللة: كل مكان يقع ضمن المدى "
            "المعلن لنسختي الصواريخ اللتين تسلمتهما أوكرانيا، مقيسًا من مدينتي سومي وخاركوف."
        ),
        "credit": "الخريطة: rangemap. المسافات من مراكز المدن، لا من مواقع الإطلاق.",
    },
}


def draw(folder: Path = DOCS) -> list[Path]:
    """Write ``static-<language>.png`` for each language of :data:`TEXTS` into ``folder``."""
    written = []
    for language, text in TEXTS.items():
        scene = load_recipe(flagship_recipe())
        scene.language = language
        scene.title, scene.subtitle, scene.credit = text["title"], text["subtitle"], text["credit"]
        written.append(scene.save(folder / f"static-{language}.png", preset="social"))
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DOCS, help="where to write")
    for path in draw(parser.parse_args().folder):
        print(path)


if __name__ == "__main__":
    main()
