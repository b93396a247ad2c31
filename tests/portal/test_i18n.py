"""Every user-facing string has its Simplified Chinese translation, compiled and shipped."""

import gettext
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[2] / "portal" / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(LOCALE / "django.po"))
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_the_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(LOCALE / "django.po"))
    with open(LOCALE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    def compiled_text(entry) -> str:
        if entry.msgid_plural:
            return compiled.ngettext(entry.msgid, entry.msgid_plural, 1)
        return compiled.gettext(entry.msgid)

    def source_text(entry) -> str:
        return entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr

    stale = [e.msgid for e in po if not e.obsolete and compiled_text(e) != source_text(e)]
    assert stale == [], "run `make messages` to recompile"
