"""The 20 probe queries of bench_search.py, chosen from a generated tree's front matter.

    python benches/probes.py TREE [--today 2026-11-26] [--seed 0]    # prints the probes as JSON

Every probe names the items it expects (`expected`, site URLs such as /items/czj/2024/jzjdt-szfw-4/):
a search engine scores a hit for the probe when one of them is among its first three results.
Only items a search index may hold are expected: published on `today` and not withdrawn.

| kind | n | what | expected |
|---|---|---|---|
| `cross-word` | 4 | 2 or 3 characters straddling two words inside a title: the end of a topic and the start of the next word (兴实 in 乡村振兴实施方案), or a 局长 and their name (长朱斌 in …局长朱斌到…) | every item whose title contains it |
| `char` | 3 | one character found in the fewest titles (and then the fewest texts) | every item whose title contains it |
| `doc_no` | 3 | a policy's 文号 (高府办发〔2023〕12号) | that policy |
| `index_no` | 3 | an item's 索引号 (11511525MB…/2023-00012) | that item |
| `title` | 4 | a whole title no other item has | that item |
| `fragment` | 3 | 4–6 characters from the middle of a title, found in no other title | that item |

Candidates are drawn with a seeded RNG and the rarest are kept (fewest titles containing the
string, counted over every item of the tree), so a probe has few right answers. The order of the
returned list interleaves the kinds (cross-word first); bench_search.py runs them in that order.
"""
from __future__ import annotations

import argparse
import datetime as dt
import glob
import json
import os
import random
import re
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_content import TOPICS  # noqa: E402  (the generator's vocabulary: topic names by slug)

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
TOPIC_BY_SLUG = {slug: name for name, slug in TOPICS}
PLAN = [("cross-word", 4), ("char", 3), ("doc_no", 3), ("index_no", 3), ("title", 4), ("fragment", 3)]


@dataclass
class Entry:
    """One item of the tree as the probes see it."""
    id: str
    url: str
    type: str
    title: str
    text: str            # title, 文号, 索引号 and the Markdown body: what a search could match
    fm: dict
    eligible: bool       # published on `today` and not withdrawn: in any search index


@dataclass
class Probe:
    kind: str
    query: str
    expected: list       # site URLs; a hit is any of them in the top 3
    source: str          # the item the probe was cut from
    titles_containing: int = 0   # titles (all items) that contain the query
    note: str = ""
    extra: dict = field(default_factory=dict)


def read_items(tree: str, today: dt.date) -> list[Entry]:
    out = []
    root = os.path.join(tree, "items")
    for path in sorted(glob.glob(os.path.join(root, "*", "*", "*.md"))):
        with open(path, encoding="utf-8") as f:
            raw = f.read()
        head, body = raw[len("---\n"):].split("\n---\n", 1)
        fm = yaml.load(head, Loader=_LOADER)
        item_id = os.path.relpath(path, root)[: -len(".md")].replace(os.sep, "/")
        date = fm["date"] if isinstance(fm["date"], dt.date) else dt.date.fromisoformat(str(fm["date"]))
        text = "\n".join(str(x) for x in (fm["title"], fm.get("doc_no", ""), fm.get("index_no", ""), body))
        out.append(Entry(item_id, f"/items/{item_id}/", fm["type"], fm["title"], text, fm,
                         date <= today and not fm.get("withdrawn")))
    return out


def _topic(e: Entry) -> str | None:
    """The topic the generator wrote into the title (the slug's middle part), if it is there."""
    parts = e.id.rsplit("/", 1)[-1].split("-")
    name = TOPIC_BY_SLUG.get(parts[1]) if len(parts) >= 3 else None
    return name if name and name in e.title else None


def cross_word_candidates(items: list[Entry]) -> dict[str, list[tuple[str, Entry]]]:
    """Substrings straddling a known word boundary, by family."""
    fam: dict[str, list] = {"policy-2": [], "name-3": [], "topic-3": [], "name-2": []}
    for e in items:
        if not e.eligible:
            continue
        if e.type == "hall_visit":
            leader = e.fm.get("leader") or {}
            t, n = leader.get("title", ""), leader.get("name", "")
            if t and len(n) >= 2 and e.title.startswith(t + n):
                fam["name-3"].append((t[-1] + n[:2], e))        # 局长|朱斌 -> 长朱斌
                fam["name-2"].append((n[-1] + e.title[len(t + n)], e))   # 朱斌|到 -> 斌到
            continue
        topic = _topic(e)
        if not topic:
            continue
        at = e.title.index(topic)
        after = e.title[at + len(topic): at + len(topic) + 2]
        if len(after) < 2 or not all(CJK.match(c) for c in after):
            continue
        if e.type == "policy":
            fam["policy-2"].append((topic[-1] + after[0], e))   # 乡村振兴|实施方案 -> 兴实
        else:
            fam["topic-3"].append((topic[-1] + after, e))       # 乡村振兴|工作推进会 -> 兴工作
    return fam


def choose(items: list[Entry], seed: int = 0) -> list[Probe]:
    rng = random.Random(seed)
    titles = [e.title for e in items]
    eligible = [e for e in items if e.eligible]
    used: set[str] = set()

    def containing(s: str) -> list[Entry]:
        return [e for e in eligible if s in e.title]

    def count(s: str) -> int:
        return sum(s in t for t in titles)

    def shuffled(seq):
        seq = list(seq)
        rng.shuffle(seq)
        return seq

    def pick_rarest(cands: list[tuple[str, Entry]]) -> tuple[str, Entry, int] | None:
        best = None
        seen = set()
        for s, e in shuffled(cands):
            if s in seen or e.id in used:
                continue
            seen.add(s)
            n = count(s)
            if best is None or n < best[2]:
                best = (s, e, n)
        return best

    probes: dict[str, list[Probe]] = {k: [] for k, _ in PLAN}

    fam = cross_word_candidates(items)
    for family in ("policy-2", "name-3", "topic-3", "name-2"):
        got = pick_rarest(fam[family])
        if got:
            s, e, n = got
            used.add(e.id)
            probes["cross-word"].append(Probe("cross-word", s, [x.url for x in containing(s)], e.id, n,
                                              f"{family}: in 「{e.title}」"))

    # Single characters: fewest titles, then fewest texts, from different items.
    in_titles = Counter(c for t in titles for c in set(t) if CJK.match(c))
    in_texts = Counter(c for e in items for c in set(e.text) if CJK.match(c))
    eligible_chars = {c for e in eligible for c in e.title if CJK.match(c)}
    for c in sorted(eligible_chars, key=lambda c: (in_titles[c], in_texts[c], c)):
        if len(probes["char"]) == 3:
            break
        hits = containing(c)
        if not hits or any(h.id in used for h in hits):
            continue
        used.update(h.id for h in hits)
        probes["char"].append(Probe("char", c, [h.url for h in hits], hits[0].id, in_titles[c],
                                    f"in {in_texts[c]} item text(s)"))

    for e in shuffled([e for e in eligible if e.type == "policy" and e.fm.get("doc_no")]):
        if len(probes["doc_no"]) == 3:
            break
        if e.id in used:
            continue
        used.add(e.id)
        same = [x.url for x in eligible if x.fm.get("doc_no") == e.fm["doc_no"]]
        probes["doc_no"].append(Probe("doc_no", e.fm["doc_no"], same, e.id, count(e.fm["doc_no"]),
                                      f"「{e.title}」"))

    types: set[str] = set()
    for e in shuffled(eligible):
        if len(probes["index_no"]) == 3:
            break
        if e.id in used or e.type in types:
            continue
        used.add(e.id)
        types.add(e.type)
        probes["index_no"].append(Probe("index_no", e.fm["index_no"], [e.url], e.id, 0, f"{e.type}「{e.title}」"))

    title_count = Counter(titles)
    types = set()
    for e in shuffled(eligible):
        if len(probes["title"]) == 4:
            break
        if e.id in used or e.type in types or title_count[e.title] != 1:
            continue
        used.add(e.id)
        types.add(e.type)
        probes["title"].append(Probe("title", e.title, [e.url], e.id, count(e.title), e.type))

    types = set()
    for e in shuffled(eligible):
        if len(probes["fragment"]) == 3:
            break
        if e.id in used or e.type in types or title_count[e.title] != 1:
            continue
        frag = _middle_fragment(e.title, count)
        if not frag:
            continue
        used.add(e.id)
        types.add(e.type)
        probes["fragment"].append(Probe("fragment", frag, [e.url], e.id, 1, f"{e.type}「{e.title}」"))

    # Interleave the kinds, cross-word first.
    out = []
    for round_ in range(max(n for _, n in PLAN)):
        for kind, _ in PLAN:
            if round_ < len(probes[kind]):
                out.append(probes[kind][round_])
    return out


def _middle_fragment(title: str, count) -> str | None:
    """The Chinese window nearest the middle of the title that no other title contains."""
    mid = len(title) / 2
    for size in (5, 6, 4):
        starts = sorted(range(len(title) - size + 1), key=lambda i: abs(i + size / 2 - mid))
        for i in starts:
            w = title[i:i + size]
            if all(CJK.match(c) for c in w) and count(w) == 1:
                return w
    return None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Print the search benchmark's probe queries for a tree.")
    parser.add_argument("tree")
    parser.add_argument("--today", default="2026-11-26")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    items = read_items(args.tree, dt.date.fromisoformat(args.today))
    probes = choose(items, args.seed)
    json.dump([asdict(p) for p in probes], sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
