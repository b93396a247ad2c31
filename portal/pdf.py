"""PDFs the portal hands out (contracts, receipts, invoices): fpdf2 with a CJK font embedded.
The font (Noto Sans SC, SIL Open Font Licence) comes with the project's Python dependencies
(`pylopdf-fonts-zh-cn`), so every machine renders the same Chinese text; no OS font is read."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from django.http import HttpResponse
from fpdf import FPDF
from pylopdf_fonts_zh_cn import sans_path


def cjk_font() -> Path:
    """The embedded font (subset to the characters a document uses)."""
    return sans_path()


def pdf_document(*, title: str, lines: list[str], at: datetime, png: bytes | None = None) -> bytes:
    """`lines` (Chinese) in the embedded CJK font. A PNG (a QR code) is placed under the text."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(at)
    pdf.set_title(title)
    pdf.add_page()
    pdf.add_font("cjk", fname=str(cjk_font()))
    pdf.set_font("cjk", size=11)
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
