"""The one tokenizer of search, mirrored line for line by templates/assets/search-core.js.

Chinese is indexed as character unigrams plus bigrams, so any substring a reader types is
found, even across word boundaries (兴实 in 乡村振兴实施方案), with no dictionary to
disagree between build and browser. Latin words and numbers are whole lowercase tokens
(索引号 and 文号 parts: 11511525mb1234567x, 2023, 00055).

Where a word or number meets its neighbour (发〔2023〕55号: 发|2023|55|号), a joint token of
the two, written with a space between (`发 2023`, `2023 55`, `55 号`), records that they stood
together, so a 文号 typed whole ranks the document that has exactly it above documents that
merely contain 2023, 55 and 号 somewhere. A space never occurs inside other tokens.
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
    """Index tokens in order: for each Chinese run its characters then its bigrams, words whole,
    each followed by its joint with the run before when either of the two is a word."""
    out: list[str] = []
    before = ""          # the previous run's last character, or its word
    before_word = False
    for cjk, word in _RUN.findall(normalize(text)):
        if cjk:
            out.extend(cjk)
            out.extend(map(str.__add__, cjk, cjk[1:]))
            if before_word:
                out.append(before + " " + cjk[0])
            before, before_word = cjk[-1], False
        else:
            out.append(word)
            if before:
                out.append(before + " " + word)
            before, before_word = word, True
    return out


@dataclass(frozen=True)
class Query:
    required: tuple[str, ...]     # every one must match (AND)
    optional: tuple[str, ...]     # scored when present: what joins adjacent runs (a phrase bonus)

    def __bool__(self) -> bool:
        return bool(self.required)


def query(text: str) -> Query:
    """A reader's query: a Chinese run of one character is that character, longer runs are
    their bigrams; words are whole. What joins two neighbouring runs is optional, so the
    exact phrase ranks above the same parts scattered: the joint token when either run is
    a word (2023〕55 → `2023 55`), the bigram across a space between two Chinese runs."""
    required: list[str] = []
    optional: list[str] = []
    before, before_word, spaced = "", False, False
    for chunk in normalize(text).split():
        for cjk, word in _RUN.findall(chunk):
            if cjk:
                required.extend([cjk] if len(cjk) == 1 else map(str.__add__, cjk, cjk[1:]))
                if before_word:
                    optional.append(before + " " + cjk[0])
                elif before and spaced:
                    optional.append(before + cjk[0])
                before, before_word = cjk[-1], False
            else:
                required.append(word)
                if before:
                    optional.append(before + " " + word)
                before, before_word = word, True
            spaced = False
        spaced = True
    return Query(tuple(dict.fromkeys(required)), tuple(t for t in dict.fromkeys(optional) if t not in required))
