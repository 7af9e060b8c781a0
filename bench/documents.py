"""Letters and invoices per second: the PDF engine with its EPC QR code, one process.

Renders a mix of one-page letters (reminders of every level, formal demand, 14-day letter,
arrangement, statement, hand-over sheet; Dutch and English, different data each time) and
invoices from plain values, as the daily run does. "Per core" figures divide by the CPU
time the process used, so they hold on a shared machine; wall-clock figures are given too.
Every page must be one page and its text must read back.
"""

from __future__ import annotations

import io
import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tegoed.settings")

GOAL_LETTERS_PER_SECOND_PER_CORE = 100


def _timed(function, items):
    wall, cpu = time.perf_counter(), time.process_time()
    results = [function(item) for item in items]
    return results, time.perf_counter() - wall, time.process_time() - cpu


def run(quick: bool) -> dict:
    import django

    django.setup()
    from pypdf import PdfReader

    from tegoed.documents import payment_qr, pdf, rendering, samples

    letters = 100 if quick else 1000
    kinds = samples.KINDS[1:]
    documents = [
        samples.letter(kinds[index % len(kinds)], language=("nl", "en")[index % 2], variant=index)
        for index in range(letters)
    ]
    rendering.render_letter(documents[0])  # compile the templates and load the fonts once

    # Every letter asks for a different amount: no QR code may come from the cache.
    payment_qr.epc_qr_svg.cache_clear()
    pages, wall, cpu = _timed(rendering.render_letter, documents)
    payment_qr.epc_qr_svg.cache_clear()
    payloads, payload_wall, payload_cpu = _timed(rendering.letter_payload, documents)
    _compiled, compile_wall, compile_cpu = _timed(lambda data: pdf.render("letter", data), payloads)
    qr_documents = [
        document for document, data in zip(documents, payloads, strict=True) if data["qr"]
    ]
    payment_qr.epc_qr_svg.cache_clear()
    _codes, qr_wall, qr_cpu = _timed(rendering.letter_qr, qr_documents)

    invoices = [samples.invoice(number=index) for index in range(letters // 2)]
    _invoice_pages, invoice_wall, invoice_cpu = _timed(rendering.render_invoice, invoices)

    one_page = all(len(PdfReader(io.BytesIO(page)).pages) == 1 for page in pages[:50])
    readable = all(
        document.claims[0].number in PdfReader(io.BytesIO(page)).pages[0].extract_text()
        for document, page in zip(documents[:50], pages[:50], strict=True)
    )
    per_core = letters / cpu
    return {
        "letters": letters,
        "letters per second (wall)": round(letters / wall, 1),
        "letters per second per core (CPU time)": round(per_core, 1),
        "ms per letter (CPU)": round(cpu / letters * 1000, 2),
        "of which data and wording (ms)": round(payload_cpu / letters * 1000, 2),
        "of which EPC QR code, segno (ms per code)": round(
            qr_cpu / max(len(qr_documents), 1) * 1000, 2
        ),
        "of which typst compile (ms)": round(compile_cpu / letters * 1000, 2),
        "invoices per second per core (CPU time)": round(len(invoices) / invoice_cpu, 1),
        "invoices per second (wall)": round(len(invoices) / invoice_wall, 1),
        "kB per letter": round(sum(len(page) for page in pages) / letters / 1024, 1),
        "all one page": one_page,
        "text extractable": readable,
        "goal ≥ 100 letters per second per core met": per_core >= GOAL_LETTERS_PER_SECOND_PER_CORE,
        "wall seconds (letters, payload, compile, qr)": [
            round(value, 2) for value in (wall, payload_wall, compile_wall, qr_wall)
        ],
    }
