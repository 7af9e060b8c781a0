"""Reading rendered documents back: their text, their pages as PNG, the QR code on them.

Pages are written to test-artifacts/documents/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"


def pdf_text(pdf: bytes) -> str:
    """The text of every page, with runs of white space made single spaces."""
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def render_pages(pdf: bytes, name: str, *, resolution: int = 110) -> list[Path]:
    """Write the PDF and one PNG per page under test-artifacts/documents/<name>."""
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is missing: install the Debian package poppler-utils")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf_path = ARTIFACTS / f"{name}.pdf"
    pdf_path.write_bytes(pdf)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", str(resolution), "-png", str(pdf_path), str(ARTIFACTS / name)],
        check=True,
    )
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


def qr_payloads(png: Path) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(Image.open(png))]


def epc_fields(payload: str) -> dict[str, str]:
    """The EPC069-12 lines by name (service tag … remittance)."""
    names = [
        "service_tag",
        "version",
        "character_set",
        "identification",
        "bic",
        "name",
        "iban",
        "amount",
        "purpose",
        "reference",
        "text",
        "information",
    ]
    lines = payload.split("\n")
    return dict(zip(names, lines + [""] * (len(names) - len(lines)), strict=False))
