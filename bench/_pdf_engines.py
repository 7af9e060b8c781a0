"""Compare PDF engines on one-page letters with a QR code (docs/decisions/0300-pdf-engine-typst.md).

Not part of `python -m bench` (the other engines are not dependencies). To reproduce:

    .venv/bin/pip install --target /tmp/pdfcmp fpdf2 reportlab
    PDF_ENGINES_PATH=/tmp/pdfcmp .venv/bin/python -m bench._pdf_engines [letters]

Each engine renders the same reminder (letterhead, address, subject, two paragraphs, a
claims table, totals, an EPC QR code drawn as vector squares, footer) with DejaVu Sans,
different data each time, in one process; the text must read back with pypdf. The letter's
data and its QR code are prepared before the clock starts: only the PDF engine is timed.
"""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tegoed.settings")
if os.environ.get("PDF_ENGINES_PATH"):
    sys.path.append(os.environ["PDF_ENGINES_PATH"])

from pypdf import PdfReader

from tegoed.documents import payment_qr, pdf, rendering, samples, wording

FONTS = Path(__file__).resolve().parents[1] / "tegoed" / "documents" / "fonts"


def _letter(index: int):
    return samples.letter("reminder-2", variant=index)


class Prepared:
    """A letter's texts (as the Typst template gets them) and its QR matrix."""

    def __init__(self, index: int) -> None:
        self.document = _letter(index)
        self.payload = rendering.letter_payload(self.document)
        self.matrix = _qr_matrix(self.document)


def _qr_matrix(document) -> list[list[bool]]:
    code = payment_qr.epc_qr(
        name=document.seller.name,
        iban=document.seller.iban,
        amount=document.total_due,
        reference=document.payment_reference,
    )
    return [[bool(cell) for cell in row] for row in code.matrix]


def render_typst(prepared: Prepared) -> bytes:
    return pdf.render("letter", prepared.payload)


def render_reportlab(prepared: Prepared) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVu-Bold", str(FONTS / "DejaVuSans-Bold.ttf")))
    payload = prepared.payload
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    _width, height = A4
    page.setFont("DejaVu-Bold", 16)
    page.drawString(20 * mm, height - 25 * mm, payload["seller"]["name"])
    page.setFont("DejaVu", 9)
    y = height - 50 * mm
    for line in payload["recipient"]:
        page.drawString(20 * mm, y, line)
        y -= 4.5 * mm
    y = height - 95 * mm
    page.setFont("DejaVu-Bold", 11)
    page.drawString(20 * mm, y, payload["subject"])
    page.setFont("DejaVu", 9)
    y -= 8 * mm
    for paragraph in payload["opening"]:
        words, line = paragraph.split(), ""
        for word in words:
            if page.stringWidth(f"{line} {word}", "DejaVu", 9) > 170 * mm:
                page.drawString(20 * mm, y, line)
                y -= 4.5 * mm
                line = word
            else:
                line = f"{line} {word}".strip()
        page.drawString(20 * mm, y, line)
        y -= 7 * mm
    for row in [payload["claims"]["header"], *payload["claims"]["rows"], *payload["totals"]]:
        x = 20 * mm
        for cell in row:
            page.drawString(x, y, cell)
            x += 30 * mm
        y -= 5 * mm
    module = 0.8 * mm
    for row_index, row in enumerate(prepared.matrix):
        for column_index, dark in enumerate(row):
            if dark:
                page.rect(
                    150 * mm + column_index * module,
                    y - 40 * mm - row_index * module,
                    module,
                    module,
                    stroke=0,
                    fill=1,
                )
    page.setFont("DejaVu", 7)
    page.drawString(20 * mm, 15 * mm, "  ·  ".join(payload["footer"]))
    page.showPage()
    page.save()
    return buffer.getvalue()


def render_fpdf2(prepared: Prepared) -> bytes:
    from fpdf import FPDF

    payload = prepared.payload
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.cell(0, 10, payload["seller"]["name"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    pdf.set_y(45)
    for line in payload["recipient"]:
        pdf.cell(0, 4.5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(90)
    pdf.set_font("DejaVu", "B", 11)
    pdf.cell(0, 8, payload["subject"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    for paragraph in payload["opening"]:
        pdf.multi_cell(0, 4.5, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    for row in [payload["claims"]["header"], *payload["claims"]["rows"], *payload["totals"]]:
        for cell in row:
            pdf.cell(30, 5, cell)
        pdf.ln(5)
    top = pdf.get_y() + 5
    module = 0.8
    for row_index, row in enumerate(prepared.matrix):
        for column_index, dark in enumerate(row):
            if dark:
                pdf.rect(
                    150 + column_index * module, top + row_index * module, module, module, style="F"
                )
    pdf.set_y(-20)
    pdf.set_font("DejaVu", "", 7)
    pdf.multi_cell(0, 3.5, "  ·  ".join(payload["footer"]))
    return bytes(pdf.output())


ENGINES = {"typst": render_typst, "reportlab": render_reportlab, "fpdf2": render_fpdf2}


def measure(engine: str, prepared: list[Prepared]) -> dict:
    render = ENGINES[engine]
    letters = len(prepared)
    started = time.perf_counter()
    render(prepared[0])
    warm_up = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    size = 0
    for item in prepared:
        output = render(item)
        size += len(output)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu
    text = " ".join(PdfReader(io.BytesIO(output)).pages[0].extract_text().split())
    amount = wording.amount(prepared[-1].document.total_due, "EUR", "nl").replace("\xa0", " ")
    readable = "F2026-" in text and amount in text
    return {
        "engine": engine,
        "first letter (s)": round(warm_up, 3),
        "ms per letter (wall)": round(seconds / letters * 1000, 1),
        "ms per letter (CPU)": round(cpu_seconds / letters * 1000, 1),
        "letters per second per core": round(letters / cpu_seconds, 1),
        "kB per letter": round(size / letters / 1024, 1),
        "text extractable": readable,
    }


def main() -> None:
    import django

    django.setup()
    letters = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    prepared = [Prepared(index) for index in range(letters)]
    for engine in ENGINES:
        try:
            print(measure(engine, prepared))
        except ImportError as error:
            print({"engine": engine, "skipped": str(error)})


if __name__ == "__main__":
    main()
