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

import bisect
import datetime as dt
import functools
import hashlib
import json
import struct
from array import array
from collections import Counter
from dataclasses import dataclass, field

from gxsite.content import model, schema
from gxsite.core import parallel
from gxsite.cache.memo import Memo, digest
from gxsite.search.whoosh_index import TITLE_BOOST, byte_to_length, length_to_byte  # field lengths as whoosh keeps them
from gxsite.core.page import Page
from gxsite.search.tokenize import term_text, token_counts

FOLDER = "search/"
URL = "/search/"
SHARD_POSTINGS = 5000      # postings per term shard: bounds the bytes one query term costs
BUNDLE_DOCS = 4            # documents per fragment bundle
BLOCK_DOCS = 64            # documents per counting block, on average (the memo's unit)…
BLOCK_MAX = 128            # …and at most: an edit recounts its block (~0.1 s at this size)
assert BLOCK_MAX <= 0x80   # a block's doc numbers and gaps fit in one byte (Block, _encode_block)
TEXT_CHARS = 360           # body text kept per document for snippets
EPOCH = dt.date(2000, 1, 1)
BLOCKS = "search-block"    # the memo kind of counted blocks: done with once the index is built
KEPT = "search-index"      # the name the memo keeps the last index's counts under (Kept)


@dataclass(slots=True)
class Doc:
    item: model.Item
    heading: str     # what identifies the item: its title, 文号 and 索引号 (the title field)
    meta: str        # org and domains
    text: str        # the body text alone: what result snippets are cut from

    @property
    def body(self) -> str:
        """Org, domains and body text: what is searched besides the heading. Made when asked
        (in the counting workers), not kept: a second copy of every text was 300 MB at 100,000 items."""
        return f"{self.meta} {self.text}"


def documents(lib: model.Library, only: set[str] | None = None) -> list[Doc]:
    """What search knows of each listed item (or of those in `only`): title, metadata and body,
    nothing of the page around. 文号 and 索引号 stand with the title: a reader typing one means
    the document that bears it."""
    docs = []
    for item in lib.published:
        if not item.listed or (only is not None and item.id not in only):
            continue
        heading = " ".join(filter(None, [item.title, item.doc_no, item.index_no]))
        meta = [item.org_ref.name if item.org_ref else item.org, *(d.name for d in item.domain_refs)]
        docs.append(Doc(item, heading, " ".join(meta), item.text))
    return docs


def _varint(n: int, out: bytearray) -> None:
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)


_GAPS = [bytes([n]) for n in range(0x80)]


def _varint_bytes(n: int) -> bytes:
    out = bytearray()
    _varint(n, out)
    return bytes(out)


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=4).hexdigest()   # 8 hex digits: names, not security


@dataclass(slots=True)   # one per term: 110,000 at 10,000 items
class Postings:
    """One term's postings, encoded: per document varint(doc delta), varint(tf_body*4 + min(tf_title, 3))
    and, when tf_title ≥ 3, varint(tf_title). `rest` holds all of it but the first doc's delta,
    in pieces, so ranges encoded apart join by writing the one delta between them."""

    first: int
    last: int
    count: int = 0
    df_title: int = 0
    df_body: int = 0
    rest: list = None


# One block's counts, compact so that workers send them back and the memo keeps them cheaply
# (a few objects per block rather than a tuple per term): its terms, sorted, one string with
# "\n" between (no token holds one); per term 5 bytes, first and last document, count, df_title,
# df_body (a block has at most BLOCK_MAX ≤ 255 documents); where each term's `rest` ends in
# `blob` (uint32); all the rests; and each document's title and body length (uint32 pairs).
Block = tuple[str, bytes, bytes, bytes, bytes]


def _encode_block(docs: list[Doc]) -> Block:
    """Postings and field lengths of consecutive documents numbered from 0 (the build's hot loop:
    one pass over each document's distinct terms, nothing more per posting)."""
    found: dict = {}     # term key -> [last doc, first doc, rest]
    df_title: Counter = Counter()
    df_body: Counter = Counter()
    title_only: Counter = Counter()
    lengths = array("I")
    for n, doc in enumerate(docs):
        title, body = token_counts(doc.heading), token_counts(doc.body)
        lengths.append(sum(title.values()))
        lengths.append(sum(body.values()))
        df_body.update(body.keys())
        if title:
            df_title.update(title.keys())
            for key, tf_title in title.items():
                tf_body = body.pop(key, 0)
                if not tf_body:
                    title_only[key] += 1
                p = found.get(key)
                if p is None:
                    found[key] = p = [n, n, bytearray()]
                else:
                    p[2].append(n - p[0])    # < BLOCK_MAX ≤ 0x80: one byte
                    p[0] = n
                _varint(tf_body * 4 + (tf_title if tf_title < 3 else 3), p[2])
                if tf_title >= 3:
                    _varint(tf_title, p[2])
        for key, tf_body in body.items():
            p = found.get(key)
            if p is None:
                found[key] = p = [n, n, bytearray()]
            else:
                p[2].append(n - p[0])
                p[0] = n
            if tf_body < 0x20:
                p[2].append(tf_body << 2)
            else:
                _varint(tf_body << 2, p[2])
    terms = sorted(zip(map(term_text, found), found))   # texts differ: keys are never compared
    meta = bytearray()
    ends = array("I")
    rests = []
    size = 0
    for _, key in terms:
        last, first, rest = found[key]
        df = df_body[key]
        meta += bytes((first, last, df + title_only[key], df_title[key], df))
        size += len(rest)
        ends.append(size)
        rests.append(rest)
    return "\n".join([t for t, _ in terms]), bytes(meta), ends.tobytes(), b"".join(rests), lengths.tobytes()


def _block_lengths(block: Block) -> list[tuple[int, int]]:
    flat = array("I", block[4])
    return list(zip(flat[0::2], flat[1::2]))


def _block_terms(block: Block) -> dict[str, tuple]:
    """A block's postings by term, as (first, last, count, df_title, df_body, rest): what a
    running preview compares between an edited block and the one it replaces."""
    terms, meta, ends, blob, _ = block
    if not terms:
        return {}
    ends = array("I", ends)
    out = {}
    start = 0
    for i, term in enumerate(terms.split("\n")):
        out[term] = (*meta[5 * i: 5 * i + 5], blob[start: ends[i]])
        start = ends[i]
    return out


def blocks(docs: list[Doc]) -> list[list[Doc]]:
    """Documents cut into blocks where a document's id says so (about BLOCK_DOCS each), or after
    BLOCK_MAX documents: an item added or edited changes its own block only (and, in a run of
    full blocks, those up to the next cut by id), so the other blocks' counts are kept."""
    out: list[list[Doc]] = [[]]
    for doc in docs:
        out[-1].append(doc)
        if len(out[-1]) == BLOCK_MAX or _cut_after(doc.item.id):
            out.append([])
    return [b for b in out if b]


@functools.lru_cache(maxsize=1 << 16)   # a running preview asks again for every document on each edit
def _cut_after(item_id: str) -> bool:
    return int.from_bytes(digest(item_id)[:4], "little") % BLOCK_DOCS == 0


def _encode_blocks(chunk: list[list[Doc]]) -> list:
    return [_encode_block(b) for b in chunk]


@dataclass
class Kept:
    """What a build keeps of the last index (in memory in a running preview, with the memo from
    the command line), so that an edited document costs its own
    block and terms: each block's key and counts, which blocks hold each term, the joined
    postings and the encoded shards. Documents must keep their order and number (the quick
    path changes text only); otherwise everything is counted and joined afresh."""

    texts: dict | None = field(default_factory=dict)   # doc id -> (heading, body, digest of the two);
    # None from the command line: a new process has no texts to compare, and keeping them all costs memory
    keys: list | None = None               # per block: digest of its documents' digests
    counted: list | None = None            # per block: its counts (Block)
    tables: dict = field(default_factory=dict)   # block index -> (Block, its terms -> postings), as asked for
    holders: dict | None = None            # term -> indexes of the blocks holding it, ascending
    merged: dict | None = None             # term -> Postings
    shards: dict | None = None             # tuple of terms -> (encoded shard, its hash)
    changed: set | None = None             # terms the last run joined again (None: all of them)

    # Kept on disk for the next `gxsite build` (memo.keep), it goes on from the last build as a
    # running preview does. Only what cannot be found again cheaply is written: the blocks are in
    # the memo under their keys, and texts are hashed again faster than they would be read.
    def __getstate__(self) -> dict:
        """A few large values rather than a tuple and a list per term: read back in 0.30 s
        instead of 0.53 s at 10,000 items (most of what is left is making the Postings again)."""
        if self.merged is None or self.holders is None:
            return {"keys": None, "shards": None}
        terms = sorted(self.merged)
        nums, ends, held, held_ends = array("q"), array("Q"), array("I"), array("Q")
        end = 0
        for term in terms:
            p = self.merged[term]
            nums.extend((p.first, p.last, p.count, p.df_title, p.df_body))
            end += sum(map(len, p.rest))
            ends.append(end)
            held.extend(self.holders.get(term, ()))
            held_ends.append(len(held))
        # Every term's postings in one buffer, allocated once at its size (a growing bytearray
        # is copied as it grows, and over-allocates).
        blob = b"".join([piece for term in terms for piece in self.merged[term].rest])
        return {"keys": self.keys, "shards": self.shards, "terms": "\n".join(terms), "nums": nums.tobytes(),
                "ends": ends.tobytes(), "blob": blob, "held": held.tobytes(), "held_ends": held_ends.tobytes()}

    def __setstate__(self, state: dict) -> None:
        self.__init__(keys=state["keys"], shards=state["shards"])
        if state["keys"] is None:
            return
        terms = state["terms"].split("\n") if state["terms"] else []
        nums, ends = array("q", state["nums"]), array("Q", state["ends"])
        held, held_ends = array("I", state["held"]), array("Q", state["held_ends"])
        blob = memoryview(state.pop("blob"))   # cut into each term's bytes, then let go of: no copy of it whole
        self.merged, self.holders = {}, {}
        start = hstart = 0
        for i, term in enumerate(terms):
            j = 5 * i
            self.merged[term] = Postings(nums[j], nums[j + 1], nums[j + 2], nums[j + 3], nums[j + 4],
                                         [blob[start:ends[i]].tobytes()])
            start = ends[i]
            if held_ends[i] > hstart:
                self.holders[term] = held[hstart:held_ends[i]].tolist()
            hstart = held_ends[i]

    def restore(self, memo: Memo) -> None:
        """The blocks the kept postings were joined from, read back from the memo (kept on disk
        without them); when one is missing, the next run joins everything afresh."""
        if self.counted is None and self.keys is not None:
            self.counted = [memo.get(BLOCKS, k) for k in self.keys]
            if any(c is None for c in self.counted):
                self.keys = self.counted = None


def _count_blocks(parts: list[list[Doc]], keys: list[bytes], memo: Memo) -> list:
    """Each block's encoded postings and field lengths: from the memo, or counted on all cores."""
    counted = [memo.get(BLOCKS, k) for k in keys]
    todo = [n for n, c in enumerate(counted) if c is None]
    done = [r for chunk in parallel.map_chunks(_encode_blocks, [parts[n] for n in todo], contiguous=True,
                                                        min_parallel=parallel.MIN_PARALLEL // BLOCK_DOCS)
            for r in chunk]
    for n, result in zip(todo, done):
        counted[n] = result
        memo.put(BLOCKS, keys[n], result)
    return counted


def _join(merged: dict[str, Postings], term: str, parts, offset: int) -> None:
    """Append one block's postings of `term` (its doc numbers shifted by `offset`)."""
    first, last, count, df_title, df_body, rest = parts
    m = merged.get(term)
    if m is None:
        merged[term] = Postings(first + offset, last + offset, count, df_title, df_body, [rest])
        return
    gap = first + offset - m.last
    m.rest += (_GAPS[gap] if gap < 0x80 else _varint_bytes(gap), rest)
    m.last = last + offset
    m.count += count
    m.df_title += df_title
    m.df_body += df_body


def _text_digest(doc: Doc, kept: Kept | None) -> bytes:
    """What a document's counts depend on; a running preview compares the text it kept instead
    of hashing 10,000 documents again."""
    if kept is None or kept.texts is None:
        return digest(doc.heading, doc.body)
    seen = kept.texts.get(doc.item.id)
    if seen is None or seen[0] != doc.heading or seen[1] != doc.body:
        seen = kept.texts[doc.item.id] = (doc.heading, doc.body, digest(doc.heading, doc.body))
    return seen[2]


def _join_all(counted: list[Block], offsets: list[int]) -> dict[str, Postings]:
    """All blocks' postings joined in block order: one pass over each block's terms, the doc
    numbers of block n shifted by offsets[n]."""
    merged: dict[str, list] = {}   # term -> [first, last, count, df_title, df_body, pieces of rest]
    gaps = _GAPS
    for (terms, meta, ends, blob, _), offset in zip(counted, offsets):
        if not terms:
            continue
        start = j = 0
        for term, end in zip(terms.split("\n"), array("I", ends)):
            m = merged.get(term)
            if m is None:
                merged[term] = [meta[j] + offset, meta[j + 1] + offset, meta[j + 2], meta[j + 3], meta[j + 4],
                                [blob[start:end]]]
            else:
                gap = meta[j] + offset - m[1]
                m[5] += (gaps[gap] if gap < 0x80 else _varint_bytes(gap), blob[start:end])
                m[1] = meta[j + 1] + offset
                m[2] += meta[j + 2]
                m[3] += meta[j + 3]
                m[4] += meta[j + 4]
            start = end
            j += 5
    # Each term's pieces joined now: a bytes object per (term, block) costs more than its data.
    return {term: Postings(m[0], m[1], m[2], m[3], m[4], [b"".join(m[5])]) for term, m in merged.items()}


def count_terms(docs: list[Doc], memo: Memo | None = None,
                kept: Kept | None = None) -> tuple[dict[str, Postings], list[tuple[int, int]]]:
    """Every term's encoded postings and each document's field lengths: blocks the memo does
    not hold are counted on all cores, then all blocks are joined in order. With `kept` (a
    running preview), only the terms of blocks that changed are joined again."""
    memo = memo or Memo()
    parts = blocks(docs)
    keys = [digest(*(_text_digest(d, kept) for d in b)) for b in parts]
    counted = _count_blocks(parts, keys, memo)
    per_block = [_block_lengths(b) for b in counted]
    offsets = [0]
    for part_lengths in per_block:
        offsets.append(offsets[-1] + len(part_lengths))
    lengths = [n for part_lengths in per_block for n in part_lengths]

    if kept is not None and kept.keys is not None and len(kept.keys) == len(keys) and all(
            len(a[4]) == len(b[4]) for a, b in zip(kept.counted, counted)):
        tables = kept.tables

        def table(n: int, block: Block) -> dict:
            found = tables.get(n)
            if found is None or found[0] is not block:
                found = tables[n] = (block, _block_terms(block))
            return found[1]

        again = [n for n, k in enumerate(keys) if k != kept.keys[n]]
        changed: set[str] = set()
        for n in again:
            memo.drop(BLOCKS, kept.keys[n])   # replaced: a long preview session does not pile them up
            old_terms, new_terms = table(n, kept.counted[n]), table(n, counted[n])
            for term in old_terms.keys() - new_terms.keys():
                kept.holders[term].remove(n)
            for term in new_terms.keys() - old_terms.keys():
                bisect.insort(kept.holders.setdefault(term, []), n)
            changed |= {t for t in old_terms.keys() | new_terms.keys() if old_terms.get(t) != new_terms.get(t)}
        views: dict[int, tuple] = {}

        def part(n: int, term: str) -> tuple:
            """Block n's postings of `term`: from its table when one was made, else looked up
            in its sorted terms (making the table of every block a common term is in would cost
            more than the whole join)."""
            found = tables.get(n)
            if found is not None and found[0] is counted[n]:
                return found[1][term]
            view = views.get(n)
            if view is None:
                terms, meta, ends, blob, _ = counted[n]
                view = views[n] = (terms.split("\n"), meta, array("I", ends), blob)
            names, meta, ends, blob = view
            i = bisect.bisect_left(names, term)
            return (*meta[5 * i: 5 * i + 5], blob[ends[i - 1] if i else 0: ends[i]])

        merged = kept.merged
        for term in changed:
            merged.pop(term, None)
            for n in kept.holders.get(term, ()):
                _join(merged, term, part(n, term), offsets[n])
            if not kept.holders.get(term):
                kept.holders.pop(term, None)
        kept.keys, kept.counted, kept.changed = keys, counted, changed
        return merged, lengths

    merged = _join_all(counted, offsets)
    if kept is not None:
        holders: dict[str, list[int]] = {}
        for n, block in enumerate(counted):
            for term in block[0].split("\n") if block[0] else ():
                holders.setdefault(term, []).append(n)
        kept.keys, kept.counted, kept.holders, kept.merged, kept.changed = keys, counted, holders, merged, None
        kept.tables = {}
    return merged, lengths


def encode_shard(terms: list[str], postings: dict[str, Postings]) -> bytes:
    head, body = bytearray(), bytearray()
    _varint(len(terms), head)
    for term in terms:
        p = postings[term]
        raw = term.encode("utf-8")
        start = len(body)
        _varint(p.first, body)
        body += b"".join(p.rest)
        _varint(len(raw), head)
        head += raw
        for n in (p.df_title, p.df_body, p.count, len(body) - start):
            if n < 0x80:
                head.append(n)
            else:
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


def build(lib: model.Library, memo: Memo | None = None, kept: Kept | None = None) -> list[tuple[str, bytes]]:
    """The index files; `kept` carries a running preview's last index over to this one. Without
    it, the one the memo kept from the last build is gone on from, and this one kept in turn."""
    docs = documents(lib)
    keep = kept is None and memo is not None   # a build from the command line: go on from the last one
    if keep:
        kept = memo.state(KEPT) or Kept()
        kept.texts = None
        kept.restore(memo)
    postings, lengths = count_terms(docs, memo, kept)
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
    encoded: dict[tuple, tuple[bytes, str]] = {}
    reusable = kept.shards if kept is not None and kept.changed is not None else {}
    for terms in shard_terms(postings):
        key = tuple(terms)
        shard = reusable.get(key)
        if shard is None or not kept.changed.isdisjoint(terms):   # a shard none of whose terms changed is kept
            data = encode_shard(terms, postings)
            shard = (data, _digest(data))
        encoded[key] = shard
        shard_hashes.append(shard[1])
        shard_starts.append(terms[0])
        files.append((f"t.{shard[1]}.bin", shard[0]))

    if kept is not None:
        kept.shards = encoded
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
    if keep:
        memo.keep(KEPT, kept)   # only once whole: a run that failed half-way leaves the last one
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

