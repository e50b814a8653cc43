"""The whoosh index behind `gxsite search`: a thin adapter, so whoosh could be swapped.

Same tokenizer and the same ranking as the browser (search-core.js): BM25F with whoosh's
default parameters, title matches boosted by TITLE_BOOST; every required term in the title
first, then the most joining terms matched (the phrase as typed above its parts scattered),
then score, newer first on ties. Created on first use in a cache folder and updated
incrementally afterwards (only changed items are re-indexed); never run by `gxsite build`.
"""
from __future__ import annotations

import functools
import hashlib
import json
import math
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

with warnings.catch_warnings():
    # whoosh 2.7 predates Python 3.12's invalid-escape SyntaxWarnings; users never see them.
    warnings.simplefilter("ignore")
    from whoosh import index as whoosh_index
    from whoosh import query as wq
    from whoosh.analysis import Token, Tokenizer
    from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
    from whoosh.scoring import BM25F
    from whoosh.util.numeric import byte_to_length, length_to_byte

from gxsite.search import tokenize
from gxsite.core.write import replace_file

TITLE_BOOST = 3.0
SCHEMA_VERSION = "3"   # bump when the schema or tokenizer changes: the cache is rebuilt
FINGERPRINTS = "fingerprints.json"
LOCK_WAIT = 30.0   # seconds a writer waits for another (the preview and `gxsite search` share the index)


class GxTokenizer(Tokenizer):
    """gxsite.search.tokenize.tokens as a whoosh tokenizer."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize_=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, text in enumerate(tokenize.tokens(value)):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = start_pos + pos
            yield token


def schema() -> Schema:
    analyzer = GxTokenizer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, phrase=False),    # the heading: title, 文号, 索引号
        name=STORED,                                    # the title as shown
        body=TEXT(analyzer=analyzer, phrase=False),
        day=NUMERIC(stored=True),       # days since 2000-01-01: newer first on ties
        url=STORED, org=STORED, date=STORED,
    )


@dataclass
class Entry:
    id: str
    title: str       # as shown
    heading: str     # as indexed in the title field (title, 文号, 索引号)
    body: str
    day: int
    url: str
    org: str
    date: str

    @functools.cached_property
    def fingerprint(self) -> str:
        return hashlib.blake2b(f"{self.title}\0{self.heading}\0{self.body}\0{self.day}\0{self.url}\0{self.org}".encode(),
                               digest_size=12).hexdigest()


@dataclass
class Hit:
    id: str
    title: str
    url: str
    org: str
    date: str
    score: float
    title_all: bool
    joined: int          # how many of the query's optional joining terms matched: phrase completeness


def open_index(folder: Path, entries: list[Entry], afresh: bool = True,
               only: set[str] | None = None) -> tuple[object, dict[str, int]]:
    """The index in `folder`, created or brought up to date with `entries`; and what changed.
    What each document was made from is kept beside it (FINGERPRINTS), so finding what
    changed does not read 10,000 stored documents back. With afresh=False an index that would
    have to be made anew (a minute at 10,000 documents) is left alone: (None, {}). `only`: the
    ids that may have changed, `entries` holding those of them still to be found (a running
    preview knows what it changed); every other document stays as it is."""
    stamp, kept = folder / "VERSION", folder / FINGERPRINTS
    current = stamp.exists() and stamp.read_text() == SCHEMA_VERSION and kept.exists()
    if not current and (not afresh or only is not None):   # nothing to go on from, or only a part given
        return None, {}
    if folder.exists() and not current:
        shutil.rmtree(folder)
    if not folder.exists():
        folder.mkdir(parents=True)
        ix = whoosh_index.create_in(str(folder), schema())
        stamp.write_text(SCHEMA_VERSION)
        have: dict[str, str] = {}
    else:
        ix = whoosh_index.open_dir(str(folder))
        have = json.loads(kept.read_text(encoding="utf-8"))
    wanted = {e.id: e for e in entries}
    ids = have.keys() if only is None else only & have.keys()
    stale = [i for i in ids if i not in wanted or wanted[i].fingerprint != have[i]]
    if len(stale) > max(100, len(have) // 4):
        # Deleting costs a term lookup each: when much changed, starting afresh is faster.
        if not afresh or only is not None:
            return None, {}
        shutil.rmtree(folder)
        return open_index(folder, entries)
    fresh = [e for e in entries if have.get(e.id) != e.fingerprint]
    changes = {"added": sum(e.id not in have for e in fresh), "changed": sum(i in wanted for i in stale),
               "removed": sum(i not in wanted for i in stale)}
    if stale or fresh or not kept.exists():
        writer = ix.writer(timeout=LOCK_WAIT)
        for doc_id in stale:
            writer.delete_by_term("id", doc_id)
        for e in fresh:
            writer.add_document(id=e.id, title=e.heading, name=e.title, body=e.body, day=e.day, url=e.url, org=e.org,
                                date=e.date)
        # No optimize: merging 10k documents for one edit takes minutes. Deleted documents
        # stay in whoosh's statistics until its merge policy folds their segment, so scores
        # may drift slightly from the browser's until the next full re-index.
        writer.commit()
        if only is None:
            have = {}
        else:
            for i in stale:
                have.pop(i)
        have.update((e.id, e.fingerprint) for e in entries)
        replace_file(kept, json.dumps(have).encode("utf-8"))
    return ix, changes


def open_existing(folder: Path):
    """The index as the last update left it (the caller knows nothing changed since)."""
    return whoosh_index.open_dir(str(folder))


def _term(text: str) -> wq.Query:
    return wq.Or([wq.Term("title", text, boost=TITLE_BOOST), wq.Term("body", text)])


def js_round(x: float) -> float:
    """Math.round(x * 1e6) / 1e6, as the browser ranks: scores equal to 6 places are ties."""
    return math.floor(x * 1e6 + 0.5) / 1e6


def search(ix, text: str, limit: int | None = None) -> list[Hit]:
    q = tokenize.query(text)
    if not q:
        return []
    required = wq.And([_term(t) for t in q.required])
    query = wq.AndMaybe(required, wq.Or([_term(t) for t in q.optional])) if q.optional else required
    with ix.searcher(weighting=BM25F()) as s:
        results = s.search(query, limit=None)
        in_title = set(s.docs_for_query(wq.And([wq.Term("title", t) for t in q.required])))
        joined = [set(s.docs_for_query(_term(t))) for t in q.optional]
        hits = [Hit(r["id"], r["name"], r["url"], r["org"], r["date"], r.score, r.docnum in in_title,
                    sum(r.docnum in j for j in joined)) for r in results]
        days = {r["id"]: r["day"] for r in results}
    hits.sort(key=lambda h: (not h.title_all, -h.joined, -js_round(h.score), -days[h.id], h.id))
    return hits[:limit] if limit else hits


__all__ = ["Entry", "Hit", "open_index", "open_existing", "search", "length_to_byte", "byte_to_length", "TITLE_BOOST"]
