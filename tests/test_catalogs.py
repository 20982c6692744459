"""The message catalogs: every text the code marks has a Khmer translation, each translation keeps its
msgid's placeholders, and the .po compiles without an error (what `make assets` runs)."""
from __future__ import annotations

import string
import subprocess
import sys

import pytest
from babel.messages.checkers import checkers
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from tests.catalogs import LOCALE, ROOT, compile_catalogs

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def _key(msgid) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


@pytest.fixture(scope="module")
def code_msgids() -> set[str]:
    """What `make catalog` extracts: the texts marked in the code, now (not the committed .pot)."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = {_key(msgid) for _file, _line, msgid, _comments, _context in
             extract_from_dir(ROOT, method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True)}
    assert len(found) > 400, "the extraction found almost nothing: is babel.cfg right?"
    return found


@pytest.fixture(scope="module")
def khmer():
    with (LOCALE / "km" / "LC_MESSAGES" / "backoffice.po").open("rb") as po:
        return read_po(po, locale="km")


def _fields(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def test_every_text_in_the_code_has_a_khmer_translation(code_msgids, khmer):
    translated = {_key(m.id) for m in khmer if m.id and (m.string if isinstance(m.string, str) else m.string[0])}
    untranslated = sorted(code_msgids - translated)
    assert not untranslated, "Texts with no Khmer translation (run `make catalog`, then translate them in locale/km):\n" + "\n".join(untranslated)


def test_no_translation_is_left_for_a_text_the_code_no_longer_has(code_msgids, khmer):
    stale = sorted(_key(m.id) for m in khmer if m.id and _key(m.id) not in code_msgids)
    assert not stale, "Khmer entries whose text is gone from the code (`make catalog` drops them):\n" + "\n".join(stale)


def test_each_translation_keeps_the_placeholders_of_its_text(khmer):
    wrong = []
    for m in khmer:
        if not m.id:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        expected = set().union(*(_fields(i) for i in ids))
        for text in strings:
            if _fields(text) != expected:
                wrong.append(f"{ids[0]!r}: {sorted(_fields(text))} != {sorted(expected)}")
    assert not wrong, "\n".join(wrong)


def test_the_khmer_catalog_has_one_plural_form_and_no_fuzzy_entry(khmer):
    assert khmer.num_plurals == 1
    assert not khmer.fuzzy
    assert not [m.id for m in khmer if m.id and m.fuzzy]


def test_babels_checks_find_no_error(khmer):
    problems = [f"{m.id!r}: {error}" for m in khmer if m.id for checker in checkers for error in _errors(checker, khmer, m)]
    assert not problems, "\n".join(problems)


def _errors(checker, catalog, message):
    try:
        checker(catalog, message)
    except Exception as exc:  # babel's TranslationError
        return [exc]
    return []


def test_pybabel_compiles_the_catalog_without_errors(tmp_path):
    out = tmp_path / "backoffice.mo"
    done = subprocess.run([sys.executable, "-m", "babel.messages.frontend", "compile", "--domain", "backoffice",
                           "--input-file", str(LOCALE / "km" / "LC_MESSAGES" / "backoffice.po"), "--output-file", str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 0 and "error" not in done.stderr.lower(), done.stderr
    assert out.stat().st_size > 10_000


def test_a_compiled_catalog_speaks_khmer_and_falls_back_to_english():
    from schemas.i18n import _, language, ngettext
    from schemas.rules import message

    compile_catalogs()
    with language("km"):
        assert _("Save") == "រក្សាទុក"
        assert ngettext("{n} village", "{n} villages", 3).format(n=3) == "ភូមិ 3"
        assert _("a text nobody marked") == "a text nobody marked"
        # the template is translated, the values go in after, untranslated
        assert message("value.missing", 7, header="Kg", cell="C7") == "ជួរ 7៖ 'Kg' នៅទទេ ត្រូវតែបំពេញ។ សូមវាយបញ្ចូលក្នុងក្រឡា C7។"
    with language("en"):
        assert _("Save") == "Save"
        assert message("value.missing", 7, header="Kg", cell="C7") == "Row 7: 'Kg' is blank; it must be filled in. Type it in cell C7."
