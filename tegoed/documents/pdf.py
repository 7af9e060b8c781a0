"""The PDF engine: Typst templates in `typst/`, data passed in as a JSON file.

Typst renders a one-page letter with a QR code in a few milliseconds, about twenty times faster
than ReportLab or fpdf2 (docs/decisions/0300-pdf-engine-typst.md). One compiler is kept per
process; fonts are the ones shipped in `fonts/` only, so a page looks the same on every machine.

The data goes to the templates in a file whose path is the same for every document of the
process, not in `sys.inputs` itself: `sys.inputs` is part of Typst's standard library, and a
library that changes with every document makes Typst lay out every page from scratch, while a
changed file only invalidates what reads it. Laying out the parts that are the same from one
letter to the next (page, letterhead, footer, labels) is then reused, which halves the compile.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from functools import cache
from multiprocessing import util
from pathlib import Path

import typst

TEMPLATES = Path(__file__).resolve().parent / "typst"
FONTS = Path(__file__).resolve().parent / "fonts"

_lock = threading.Lock()


def _after_fork() -> None:
    # A forked process (`tegoed send --workers`) makes its own compiler, under its own lock.
    global _lock
    _lock = threading.Lock()
    _compiler.cache_clear()


class RenderError(RuntimeError):
    """A template failed to compile; the message names the template."""


@cache
def _compiler() -> typst.Compiler:
    # Root "/" lets a template read the organization's logo by its absolute path; templates
    # only open paths that Python put into the data.
    return typst.Compiler(root="/", font_paths=[str(FONTS)], ignore_system_fonts=True)


os.register_at_fork(after_in_child=_after_fork)


@cache
def _data_file(process: int) -> Path:
    # One file per process (a forked worker gets its own); written and read under `_lock`.
    directory = tempfile.mkdtemp(prefix="tegoed-documents-")
    # Removed at exit, also by a worker process of multiprocessing, which skips atexit.
    util.Finalize(
        None, shutil.rmtree, args=(directory,), kwargs={"ignore_errors": True}, exitpriority=0
    )
    return Path(directory) / "data.json"


def render(template: str, data: dict, *, pdf_standard: str | None = None) -> bytes:
    """Compile `typst/<template>.typ` with `data` (JSON-serializable) to PDF bytes."""
    path = TEMPLATES / f"{template}.typ"
    options = {"pdf_standards": [pdf_standard]} if pdf_standard else {}
    try:
        with _lock:
            data_file = _data_file(os.getpid())
            data_file.parent.mkdir(exist_ok=True)  # in case a cleaner emptied the temp dir
            data_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            return _compiler().compile(
                input=str(path), sys_inputs={"data": str(data_file)}, **options
            )
    except typst.TypstError as error:
        raise RenderError(f"{path.name}: {error}") from None
