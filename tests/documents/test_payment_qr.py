"""The payment QR's SVG is written by hand; it must be exactly what segno would write."""

import io
from decimal import Decimal

import segno
from hypothesis import given, settings
from hypothesis import strategies as st

from tegoed.documents import payment_qr


def _segno_svg(code: segno.QRCode) -> str:
    buffer = io.BytesIO()
    code.save(buffer, kind="svg", xmldecl=False, svgns=True, border=0, scale=1)
    return buffer.getvalue().decode("utf-8")


@settings(max_examples=60, deadline=None)
@given(
    cents=st.integers(min_value=1, max_value=99_999_999_999),
    text=st.text(alphabet="ABCXYZ 0123456789-/éü", max_size=140),
)
def test_svg_is_the_same_as_segno_writes(cents, text):
    code = payment_qr.epc_qr(
        name="Bakkerij De Gouden Korst B.V.",
        iban="NL91ABNA0417164300",
        amount=Decimal(cents) / 100,
        text=text,
    )

    assert payment_qr._svg(code) == _segno_svg(code)
