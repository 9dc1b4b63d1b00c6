"""The committed English catalogue is complete: every entry translated, nothing fuzzy."""

import re
from pathlib import Path

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MSGSTR = re.compile(r'^msgstr(?:\[\d\])? "(.*)"\n?((?:".*"\n?)*)', re.M)


def untranslated_and_fuzzy(text: str) -> tuple[list[str], list[str]]:
    missing, fuzzy = [], []
    for block in text.strip().split("\n\n")[1:]:  # the first block is the header
        if "#, fuzzy" in block:
            fuzzy.append(block)
        if not any(first or rest.strip('"\n') for first, rest in MSGSTR.findall(block)):
            missing.append(block)
    return missing, fuzzy


def test_the_checker_sees_a_missing_translation():
    sample = (
        'msgid ""\nmsgstr "header"\n\nmsgid "在谈"\nmsgstr ""\n\n#, fuzzy\nmsgid "签约"\nmsgstr "Signed"\n'
    )
    missing, fuzzy = untranslated_and_fuzzy(sample)
    assert len(missing) == 1 and "在谈" in missing[0]
    assert len(fuzzy) == 1 and "签约" in fuzzy[0]


def test_every_message_has_an_english_translation():
    text = CATALOGUE.read_text(encoding="utf-8")
    missing, fuzzy = untranslated_and_fuzzy(text)
    assert not fuzzy, fuzzy[:3]
    assert not missing, missing[:3]
    assert text.count("\nmsgid ") > 500
