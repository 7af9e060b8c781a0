"""The PDF engine: Typst templates in `typst/`, data passed in as JSON.

Typst renders a one-page letter with a QR code in a few milliseconds, about twenty times faster
than ReportLab or fpdf2 (docs/decisions/0300-pdf-engine-typst.md). One compiler is kept per
process; fonts are the ones shipped in `fonts/` only, so a page looks the same on every machine.
"""

from __future__ import annotations

import json
import threading
from functools import cache
from pathlib import Path

import typst

TEMPLATES = Path(__file__).resolve().parent / "typst"
FONTS = Path(__file__).resolve().parent / "fonts"

_lock = threading.Lock()


class RenderError(RuntimeError):
    """A template failed to compile; the message names the template."""


@cache
def _compiler() -> typst.Compiler:
    # Root "/" lets a template read the organization's logo by its absolute path; templates
    # only open paths that Python put into the data.
    return typst.Compiler(root="/", font_paths=[str(FONTS)], ignore_system_fonts=True)


def render(template: str, data: dict, *, pdf_standard: str | None = None) -> bytes:
    """Compile `typst/<template>.typ` with `data` (JSON-serializable) to PDF bytes."""
    path = TEMPLATES / f"{template}.typ"
    inputs = {"data": json.dumps(data, ensure_ascii=False)}
    options = {"pdf_standards": [pdf_standard]} if pdf_standard else {}
    try:
        with _lock:
            return _compiler().compile(input=str(path), sys_inputs=inputs, **options)
    except typst.TypstError as error:
        raise RenderError(f"{path.name}: {error}") from None
