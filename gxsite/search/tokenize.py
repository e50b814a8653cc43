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
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from itertools import compress, count
from operator import itemgetter, not_

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


_ANY = re.compile(_RUN.pattern.replace("(", "").replace(")", ""))   # the same runs, not grouped
_SEP = ord("\n")    # between Chinese runs: never part of a token
_LAST, _FIRST = itemgetter(-1), itemgetter(0)


def token_counts(text: str) -> Counter:
    """How often each token of `tokens(text)` occurs (the index needs no more), with Chinese
    characters and bigrams keyed by number: a character by its code point, a bigram `ab` by
    ord(a) | ord(b) << 32; words and joints by their text. `term_text` turns a key into the
    token. Counting machine integers in bulk instead of making a string per character and
    bigram is what makes indexing 10,000 documents affordable."""
    if sys.byteorder != "little":
        return Counter(tokens(text))   # the numeric keys below read little-endian code points
    runs = _ANY.findall(normalize(text))
    if not runs:
        return Counter()
    is_word = list(map(str.isascii, runs))
    if any(is_word):
        counts = Counter(compress(runs, is_word))
        last = len(runs) - 1
        for i in compress(count(), is_word):   # joints stand next to words only
            word = runs[i]
            if i:
                before = runs[i - 1]
                counts[(before if is_word[i - 1] else before[-1]) + " " + word] += 1
            if i < last and not is_word[i + 1]:
                counts[word + " " + runs[i + 1][0]] += 1
        cjk = list(compress(runs, map(not_, is_word)))
        if not cjk:
            return counts
    else:
        counts, cjk = Counter(), runs
    # The Chinese runs as 32-bit code points, one separator between runs: the characters are
    # the array read as 32-bit numbers, the bigrams the same bytes read as 64-bit numbers from
    # offset 0 and from offset 4; the bigrams that span a separator are taken out again.
    data = "\n".join(cjk).encode("utf-32-le")
    counts.update(memoryview(data).cast("I"))
    size = len(data)
    if size >= 8:
        counts.update(memoryview(data)[: size // 8 * 8].cast("Q"))
        if size >= 12:
            counts.update(memoryview(data)[4: 4 + (size - 4) // 8 * 8].cast("Q"))
    if len(cjk) > 1:
        del counts[_SEP]
        for c in set(map(ord, map(_LAST, cjk[:-1]))):
            del counts[c | _SEP << 32]
        for c in set(map(ord, map(_FIRST, cjk[1:]))):
            del counts[_SEP | c << 32]
    return counts


def term_text(key: int | str) -> str:
    """The token a key of `token_counts` stands for."""
    if key.__class__ is str:
        return key
    return chr(key) if key < 1 << 32 else chr(key & 0xFFFFFFFF) + chr(key >> 32)


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
