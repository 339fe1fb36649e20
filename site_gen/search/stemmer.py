"""The Porter stemmer exactly as lunr.js 2.3.9 implements it (``lunr.stemmer``), ported line for line.

lunr.py's stemmer differs from lunr.js's on words ending in "y" ("always" -> "alwai" vs "alway");
an index whose terms are stemmed differently from the browser's queries would miss those words.
``tests/search/test_stemmer.py`` checks this port against lunr.js itself on a corpus vocabulary.
"""

from __future__ import annotations

import re
from functools import lru_cache

_STEP2 = {
    "ational": "ate", "tional": "tion", "enci": "ence", "anci": "ance", "izer": "ize", "bli": "ble",
    "alli": "al", "entli": "ent", "eli": "e", "ousli": "ous", "ization": "ize", "ation": "ate",
    "ator": "ate", "alism": "al", "iveness": "ive", "fulness": "ful", "ousness": "ous", "aliti": "al",
    "iviti": "ive", "biliti": "ble", "logi": "log",
}
_STEP3 = {"icate": "ic", "ative": "", "alize": "al", "iciti": "ic", "ical": "ic", "ful": "", "ness": ""}

_c = "[^aeiou]"
_v = "[aeiouy]"
_C = _c + "[^aeiouy]*"
_V = _v + "[aeiou]*"
_MGR0 = re.compile("^(" + _C + ")?" + _V + _C)
_MEQ1 = re.compile("^(" + _C + ")?" + _V + _C + "(" + _V + ")?$")
_MGR1 = re.compile("^(" + _C + ")?" + _V + _C + _V + _C)
_S_V = re.compile("^(" + _C + ")?" + _v)

_1A = re.compile(r"^(.+?)(ss|i)es$")
_1A2 = re.compile(r"^(.+?)([^s])s$")
_1B = re.compile(r"^(.+?)eed$")
_1B2 = re.compile(r"^(.+?)(ed|ing)$")
_1B_AT = re.compile(r"(at|bl|iz)$")
_1B_DOUBLE = re.compile(r"([^aeiouylsz])\1$")
_1B_CVC = re.compile("^" + _C + _v + "[^aeiouwxy]$")
_1C = re.compile(r"^(.+?[^aeiou])y$")
_2 = re.compile(r"^(.+?)(ational|tional|enci|anci|izer|bli|alli|entli|eli|ousli|ization|ation|ator|alism|iveness"
                r"|fulness|ousness|aliti|iviti|biliti|logi)$")
_3 = re.compile(r"^(.+?)(icate|ative|alize|iciti|ical|ful|ness)$")
_4 = re.compile(r"^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$")
_4B = re.compile(r"^(.+?)(s|t)(ion)$")
_5 = re.compile(r"^(.+?)e$")
_5_LL = re.compile(r"ll$")
_5_CVC = re.compile("^" + _C + _v + "[^aeiouwxy]$")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """lunr.js's ``porterStemmer(w)``; memoised, since a corpus repeats its words endlessly."""
    if len(word) < 3:
        return word
    first = word[0]
    if first == "y":
        word = "Y" + word[1:]

    if m := _1A.match(word):
        word = m.group(1) + m.group(2)
    elif m := _1A2.match(word):
        word = m.group(1) + m.group(2)

    if m := _1B.match(word):
        if _MGR0.search(m.group(1)):
            word = word[:-1]
    elif m := _1B2.match(word):
        stem_part = m.group(1)
        if _S_V.search(stem_part):
            word = stem_part
            if _1B_AT.search(word):
                word += "e"
            elif _1B_DOUBLE.search(word):
                word = word[:-1]
            elif _1B_CVC.search(word):
                word += "e"

    if m := _1C.match(word):
        word = m.group(1) + "i"

    if (m := _2.match(word)) and _MGR0.search(m.group(1)):
        word = m.group(1) + _STEP2[m.group(2)]

    if (m := _3.match(word)) and _MGR0.search(m.group(1)):
        word = m.group(1) + _STEP3[m.group(2)]

    if m := _4.match(word):
        if _MGR1.search(m.group(1)):
            word = m.group(1)
    elif m := _4B.match(word):
        stem_part = m.group(1) + m.group(2)
        if _MGR1.search(stem_part):
            word = stem_part

    if m := _5.match(word):
        stem_part = m.group(1)
        if _MGR1.search(stem_part) or (_MEQ1.search(stem_part) and not _5_CVC.search(stem_part)):
            word = stem_part

    if _5_LL.search(word) and _MGR1.search(word):
        word = word[:-1]

    if first == "y":
        word = "y" + word[1:]
    return word
