"""The language a text is written in, for posts brought in from elsewhere: from the text, never assumed.

A statistical identifier (py3langid: langid.py's model, 97 languages) decides; text in the Arabic script is first
told apart by the letters only some of its languages use, which short texts need: Persian writes پ چ ژ گ and ی, Urdu
adds ٹ ڈ ڑ ں ے.
"""

from __future__ import annotations

import re

MIN_LETTERS = 20
"""Fewer letters than this say nothing reliable about a language."""
_CODE = re.compile(r"^( {0,3})(`{3,}|~{3,}).*?^\1\2[`~]*[ \t]*$|`[^`\n]*`", re.MULTILINE | re.DOTALL)
_MARKUP = re.compile(r"<[^>\n]*>|\]\([^)\s]*\)|https?://\S+|\{[{%<].*?[}%>]\}")
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_URDU = re.compile("[\u0679\u0688\u0691\u06ba\u06d2\u06be]")
_PERSIAN = re.compile("[\u067e\u0686\u0698\u06af\u06a9\u06cc]")
_ARABIC_ONLY = re.compile("[\u0629\u0649\u064a]")
"""ة ى ي: Arabic writes them; Persian writes ی for both yehs and rarely ة."""


def detect_language(text: str) -> str | None:
    """The BCP 47 code of the language `text` (Markdown) is mostly written in, or None when there is too little to
    tell."""
    plain = _MARKUP.sub(" ", _CODE.sub(" ", text))
    letters = sum(ch.isalpha() for ch in plain)
    if letters < MIN_LETTERS:
        return None
    arabic = len(_ARABIC_SCRIPT.findall(plain))
    if arabic * 2 > letters:
        return _arabic_script_language(plain)
    import py3langid  # loads its model: only an import pays for it

    code, _score = py3langid.classify(plain[:8000])
    return str(code)


def _arabic_script_language(text: str) -> str:
    urdu, persian, arabic = (len(p.findall(text)) for p in (_URDU, _PERSIAN, _ARABIC_ONLY))
    if urdu >= 3 and urdu * 4 >= persian:
        return "ur"
    if persian > arabic:
        return "fa"
    return "ar"
