"""PDFs carry their Chinese text on any machine: the font comes with the Python dependencies."""

from django.utils import timezone

from portal import pdf
from tests.helpers import pdf_text


def test_the_font_is_the_packaged_one_not_an_os_font():
    font = pdf.cjk_font()
    assert font.is_file() and "site-packages" in font.parts


def test_a_pdf_holds_the_chinese_name_as_text():
    data = pdf.pdf_document(title="HT-1", lines=["用电人：欧阳娜娜"], at=timezone.now())
    assert "欧阳娜娜" in pdf_text(data)
