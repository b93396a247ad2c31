"""PDFs carry their Chinese text on any machine: the font comes with the Python dependencies."""

import io

from django.utils import timezone
from pypdf import PdfReader

from portal import pdf


def pdf_text(data: bytes) -> str:
    """The text of a PDF. fpdf2 embeds a CFF font with its own two-byte Identity CMap, which
    pypdf reads a byte at a time (a NUL before each glyph; the ToUnicode map itself is right),
    and pypdf spaces out CJK glyphs: both dropped."""
    pages = PdfReader(io.BytesIO(data)).pages
    return "".join(page.extract_text() for page in pages).replace("\x00", "").replace(" ", "")


def test_the_font_is_the_packaged_one_not_an_os_font():
    font = pdf.cjk_font()
    assert font.is_file() and "site-packages" in font.parts


def test_a_pdf_holds_the_chinese_name_as_text():
    data = pdf.pdf_document(title="HT-1", lines=["用电人：欧阳娜娜"], at=timezone.now())
    assert "欧阳娜娜" in pdf_text(data)
