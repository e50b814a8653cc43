"""The static search index, written with the site and read by the browser (search-core.js).

Pagefind-style split, so a query downloads only what it needs:
- `manifest.<hash>.json`: collection statistics, the first term of every shard, names of
  the other files, filter labels. The search page names it, so it can be cached forever.
- `docs.<hash>.bin`: 7 bytes per document: quantized field lengths (as whoosh stores
  them, so scores match the CLI), publish day, org and type (for ranking ties and filters).
- `t.<hash>.bin` term shards: sorted term ranges, each capped by its number of postings.
- `f.<hash>.json` fragment bundles: what a result shows (title, URL, org, date, text).
Every name carries a content hash, so an unchanged file keeps its name across builds.

Documents are numbered newest first, so "newer above older on ties" is "lower number first".
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import struct
from collections import Counter
from dataclasses import dataclass

from . import markup, model, parallel, schema
from .whoosh_index import TITLE_BOOST, byte_to_length, length_to_byte  # field lengths as whoosh keeps them
from .page import Page
from .resolve import is_listed
from .tokenize import tokens

FOLDER = "search/"
URL = "/search/"
SHARD_POSTINGS = 5000      # postings per term shard: bounds the bytes one query term costs
BUNDLE_DOCS = 4            # documents per fragment bundle
TEXT_CHARS = 360           # body text kept per document for snippets
EPOCH = dt.date(2000, 1, 1)


@dataclass
class Doc:
    item: model.Item
    title: str
    body: str        # metadata and body text: what is searched besides the title
    text: str        # the body text alone: what result snippets are cut from


def documents(lib: model.Library) -> list[Doc]:
    """What search knows of each listed item: title, metadata and body, nothing of the page around."""
    docs = []
    for item in lib.published:
        if not is_listed(item):
            continue
        meta = [item.org_ref.name if item.org_ref else item.org, item.doc_no, item.index_no,
                *(d.name for d in item.domain_refs)]
        text = markup.plain_text(item.html)
        docs.append(Doc(item, item.title, " ".join([*filter(None, meta), text]), text))
    return docs


def _varint(n: int, out: bytearray) -> None:
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=4).hexdigest()   # 8 hex digits: names, not security


@dataclass
class Postings:
    """One term's postings, encoded: per document varint(doc delta), varint(tf_body*4 + min(tf_title, 3))
    and, when tf_title ≥ 3, varint(tf_title). `rest` is all of it but the first doc's delta,
    so ranges encoded apart join by writing that one delta."""

    first: int
    last: int
    count: int = 0
    df_title: int = 0
    df_body: int = 0
    rest: bytearray = None


def _encode_range(numbered: list[tuple[int, Doc]]) -> tuple[dict[str, Postings], list[tuple[int, int]]]:
    """Postings and field lengths of consecutive numbered documents (the build's hot loop)."""
    terms: dict[str, list] = {}     # term -> [first, last, count, df_title, df_body, rest]
    lengths = []
    for n, doc in numbered:
        title, body = tokens(doc.title), tokens(doc.body)
        lengths.append((len(title), len(body)))
        t_counts = Counter(title)
        for term, tf_body in Counter(body).items():
            tf_title = t_counts.pop(term, 0)
            _add(terms, term, n, tf_title, tf_body)
        for term, tf_title in t_counts.items():
            _add(terms, term, n, tf_title, 0)
    return {t: Postings(*v) for t, v in terms.items()}, lengths


def _add(terms: dict, term: str, doc: int, tf_title: int, tf_body: int) -> None:
    p = terms.get(term)
    if p is None:
        rest = bytearray()
        terms[term] = [doc, doc, 1, tf_title > 0, tf_body > 0, rest]
    else:
        rest = p[5]
        delta = doc - p[1]
        if delta < 0x80:
            rest.append(delta)
        else:
            _varint(delta, rest)
        p[1] = doc
        p[2] += 1
        p[3] += tf_title > 0
        p[4] += tf_body > 0
    code = tf_body * 4 + (tf_title if tf_title < 3 else 3)
    if code < 0x80:
        rest.append(code)
    else:
        _varint(code, rest)
    if tf_title >= 3:
        _varint(tf_title, rest)


def count_terms(docs: list[Doc]) -> tuple[dict[str, Postings], list[tuple[int, int]]]:
    """Every term's encoded postings and each document's field lengths, counted on all cores."""
    merged: dict[str, Postings] = {}
    lengths: list[tuple[int, int]] = []
    for terms, part_lengths in parallel.map_chunks(_encode_range, list(enumerate(docs)), contiguous=True):
        lengths.extend(part_lengths)
        for term, p in terms.items():
            m = merged.get(term)
            if m is None:
                merged[term] = p
                continue
            _varint(p.first - m.last, m.rest)
            m.rest += p.rest
            m.last, m.count = p.last, m.count + p.count
            m.df_title += p.df_title
            m.df_body += p.df_body
    return merged, lengths


def encode_shard(terms: list[str], postings: dict[str, Postings]) -> bytes:
    head, body = bytearray(), bytearray()
    _varint(len(terms), head)
    for term in terms:
        p = postings[term]
        raw = term.encode("utf-8")
        start = len(body)
        _varint(p.first, body)
        body += p.rest
        _varint(len(raw), head)
        head += raw
        for n in (p.df_title, p.df_body, p.count, len(body) - start):
            _varint(n, head)
    return bytes(head + body)


def shard_terms(postings: dict[str, Postings]) -> list[list[str]]:
    """Sorted terms cut into shards of at most SHARD_POSTINGS postings (a bigger term stands alone)."""
    shards: list[list[str]] = [[]]
    size = 0
    for term in sorted(postings):
        n = postings[term].count
        if shards[-1] and size + n > SHARD_POSTINGS:
            shards.append([])
            size = 0
        shards[-1].append(term)
        size += n
    return [s for s in shards if s]


def quantized(length: int) -> int:
    """The field length whoosh scores with (it keeps one byte per length)."""
    return byte_to_length(length_to_byte(length)) if length else 0


def build(lib: model.Library) -> list[tuple[str, bytes]]:
    docs = documents(lib)
    postings, lengths = count_terms(docs)
    files: list[tuple[str, bytes]] = []

    orgs = sorted({d.item.org for d in docs})
    types = list(schema.ITEM_TYPES)
    table = bytearray()
    for doc, (lt, lb) in zip(docs, lengths):
        table += struct.pack("<BBHHB", length_to_byte(lt), length_to_byte(lb),
                             (doc.item.date - EPOCH).days, orgs.index(doc.item.org), types.index(doc.item.type))
    docs_hash = _digest(bytes(table))
    files.append((f"docs.{docs_hash}.bin", bytes(table)))

    # Shards and bundles are listed by hash only (name = t.<hash>.bin / f.<hash>.json), in
    # one string of 8-digit hashes, to keep the manifest a first search has to load small.
    shard_starts, shard_hashes = [], []
    for terms in shard_terms(postings):
        data = encode_shard(terms, postings)
        shard_hashes.append(_digest(data))
        shard_starts.append(terms[0])
        files.append((f"t.{shard_hashes[-1]}.bin", data))

    bundle_hashes = []
    for start in range(0, len(docs), BUNDLE_DOCS):
        chunk = [_fragment(d) for d in docs[start:start + BUNDLE_DOCS]]
        data = json.dumps(chunk, ensure_ascii=False, separators=(",", ":")).encode()
        bundle_hashes.append(_digest(data))
        files.append((f"f.{bundle_hashes[-1]}.json", data))

    manifest = {
        "version": 1,
        "count": len(docs),
        "fields": {"title": {"total": sum(l[0] for l in lengths), "boost": TITLE_BOOST},
                   "body": {"total": sum(l[1] for l in lengths), "boost": 1.0}},
        "bm25": {"K1": 1.2, "B": 0.75},
        "epoch": EPOCH.isoformat(),
        "docs": docs_hash,
        "bundle": BUNDLE_DOCS,
        "bundles": "".join(bundle_hashes),
        "shard_starts": shard_starts,
        "shards": "".join(shard_hashes),
        "orgs": [[o, lib.orgs[o].name if o in lib.orgs else o] for o in orgs],
        "types": [[t, schema.ITEM_TYPES[t]] for t in types],
    }
    data = json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).encode()
    files.append((f"manifest.{_digest(data)}.json", data))
    return [(FOLDER + n, d) for n, d in files]


def manifest_name(files: list[tuple[str, bytes]]) -> str:
    return "/" + next(n for n, _ in files if n.startswith(FOLDER + "manifest."))


def pages(lib: model.Library, today: dt.date):
    """The search page, which names the manifest of this build's index (set by the index stage)."""
    yield Page(URL, "search.html", "站内搜索", {"manifest": lib.search_manifest}, [("站内搜索", URL)])


def _fragment(doc: Doc) -> dict:
    item = doc.item
    return {
        "url": item.url,
        "title": item.title,
        "org": item.org_ref.name if item.org_ref else item.org,
        "date": item.date.isoformat(),
        "type": schema.ITEM_TYPES[item.type],
        "columns": [c.title for c in item.in_columns[:3]],
        "text": doc.text[:TEXT_CHARS],
    }

