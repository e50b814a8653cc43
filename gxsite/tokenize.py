"""The one tokenizer of search, mirrored line for line by templates/assets/search-core.js.

Chinese is indexed as character unigrams plus bigrams, so any substring a reader types is
found, even across word boundaries (兴实 in 乡村振兴实施方案), with no dictionary to
disagree between build and browser. Latin words and numbers are whole lowercase tokens
(索引号 and 文号 parts: 11511525mb1234567x, 2023, 00055).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# CJK Unified Ideographs, Extension A and Compatibility Ideographs: one "character" each.
_RUN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|([0-9a-z]+)")


def normalize(text: str) -> str:
    """NFKC (full-width ２０２３ → 2023) and lower case, as String.prototype.normalize does."""
    return unicodedata.normalize("NFKC", text).lower()


def tokens(text: str) -> list[str]:
    """Index tokens in order: for each Chinese run its characters then its bigrams; words whole."""
    out: list[str] = []
    for cjk, word in _RUN.findall(normalize(text)):
        if cjk:
            out.extend(cjk)
            out.extend(map(str.__add__, cjk, cjk[1:]))
        else:
            out.append(word)
    return out


@dataclass(frozen=True)
class Query:
    required: tuple[str, ...]     # every one must match (AND)
    optional: tuple[str, ...]     # scored when present: bigrams joining adjacent words

    def __bool__(self) -> bool:
        return bool(self.required)


def query(text: str) -> Query:
    """A reader's query: a Chinese run of one character is that character, longer runs are
    their bigrams; words are whole. Spaces separate words; the bigram across a space is
    optional, so the exact phrase ranks above the same words scattered."""
    required: list[str] = []
    optional: list[str] = []
    previous_last = ""
    for chunk in normalize(text).split():
        runs = _RUN.findall(chunk)
        for n, (cjk, word) in enumerate(runs):
            if cjk:
                required.extend([cjk] if len(cjk) == 1 else map(str.__add__, cjk, cjk[1:]))
                if n == 0 and previous_last:
                    optional.append(previous_last + cjk[0])
            else:
                required.append(word)
        last_cjk = runs[-1][0] if runs else ""
        previous_last = last_cjk[-1] if last_cjk else ""
    return Query(tuple(dict.fromkeys(required)), tuple(t for t in dict.fromkeys(optional) if t not in required))
