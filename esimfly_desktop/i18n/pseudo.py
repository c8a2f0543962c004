"""A pseudo-language that shows layout problems before real translators do.

Every message comes back with its letters accented, about 40% longer and
framed in brackets, and the language is written right to left. A label that
clips ``[Śàvé ôŕðéŕ ~~~~]`` will clip in German or Arabic too, and text built
from untranslated pieces shows up without brackets. Placeholders such as
``{amount}``, Qt mnemonics (``&``) and HTML tags are kept unchanged so the
text still formats and renders.
"""

from __future__ import annotations

import gettext
import math
import re

PSEUDO_LANGUAGE = "pseudo"

LENGTH_FACTOR = 1.4

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçðéƒĝĥîĵķĺɱñöþǫŕšţûṽŵẋýžÀƁÇÐÉƑĜĤÎĴĶĹṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)

# Parts copied through unchanged: str.format fields, HTML tags and entities.
_PROTECTED = re.compile(r"\{[^{}]*\}|<[^<>]*>|&[a-zA-Z]+;|&#\d+;")


def pseudo_translate(message: str) -> str:
    """Return ``message`` accented, bracketed and padded to about 1.4 times its length."""
    if not message:
        return message

    pieces: list[str] = []
    position = 0
    for match in _PROTECTED.finditer(message):
        pieces.append(message[position : match.start()].translate(_ACCENTED))
        pieces.append(match.group(0))
        position = match.end()
    pieces.append(message[position:].translate(_ACCENTED))
    accented = "".join(pieces)

    # The brackets count toward the extra length, so short labels grow too.
    padding = max(0, math.ceil(len(message) * LENGTH_FACTOR) - len(message) - 3)
    return f"[{accented} {'~' * padding}]" if padding else f"[{accented}]"


class PseudoTranslations(gettext.NullTranslations):
    """A gettext catalog that pseudo-translates every message."""

    def gettext(self, message: str) -> str:
        return pseudo_translate(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo_translate(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo_translate(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo_translate(msgid1 if n == 1 else msgid2)
