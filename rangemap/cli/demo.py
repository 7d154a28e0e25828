"""``rangemap demo``: render the flagship map (ATACMS, November 2024) offline.

This module owns the ``demo`` subcommand. It reads the recipe shipped inside the
package (:func:`rangemap.recipes.flagship_recipe`), renders it with the bundled
basemap (no network) and prints the path written. The recipe names its origins
("Sumy", "Kharkiv") and lists the Russian cities in range (its ``places`` block).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rangemap.cli._common import check_output, import_folium_lean
from rangemap.recipes import flagship_recipe, load_recipe

__all__ = ["DEFAULT_OUTPUT", "register"]

#: The one-line summary ``rangemap --help`` lists (read there without importing this).
HELP = "render the flagship map (ATACMS, November 2024) offline"

#: Where ``rangemap demo`` writes when no ``-o`` is given (in the current folder).
DEFAULT_OUTPUT = "atacms-nov-2024.html"


def register(subparsers: Any) -> None:
    """Add the ``demo`` subcommand to the ``rangemap`` parser (see :mod:`rangemap.cli`)."""
    parser = subparsers.add_parser(
        "demo",
        help=HELP,
        description=(
            "Render the shipped recipe atacms-nov-2024.yaml: what ATACMS can reach from "
            "Sumy and Kharkiv, the Russian cities in range, and the sources, offline. "
            "Prints the path written."
        ),
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=Path,
        default=Path(DEFAULT_OUTPUT),
        help=f"the file to write (default: {DEFAULT_OUTPUT} in the current folder)",
    )
    parser.set_defaults(handler=_run)


def _run(args: argparse.Namespace) -> int:
    check_output(args.output)
    import_folium_lean()
    scene = load_recipe(flagship_recipe())
    scene.basemap = "offline"
    print(scene.save(args.output))
    return 0
