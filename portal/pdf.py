"""PDFs the portal hands out (contracts, receipts): fpdf2 with a CJK font embedded when the
system has one (`CJK_FONT_PATHS`)."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from fpdf import FPDF


def cjk_font() -> Path | None:
    return next((Path(p) for p in settings.CJK_FONT_PATHS if Path(p).is_file()), None)


def pdf_document(
    *, title: str, lines: list[str], fallback: list[str], at: datetime, png: bytes | None = None
) -> bytes:
    """`lines` in Chinese when a CJK font exists, else `fallback` (ASCII) saying so. A PNG (a QR
    code) is placed under the text."""
    font = cjk_font()
    pdf = FPDF(format="A4")
    pdf.set_creation_date(at)
    pdf.set_title(title)
    pdf.add_page()
    if font is not None:
        pdf.add_font("cjk", fname=str(font))
        pdf.set_font("cjk", size=11)
    else:
        pdf.set_font("helvetica", size=11)
        lines = fallback
    for line in lines:
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    if png is not None:
        pdf.image(io.BytesIO(png), w=40)
    return bytes(pdf.output())


def pdf_response(data: bytes, filename: str, **headers: str) -> HttpResponse:
    """A PDF shown in the browser (and saved under `filename`)."""
    response = HttpResponse(bytes(data), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    for name, value in headers.items():
        response[name] = value
    return response
