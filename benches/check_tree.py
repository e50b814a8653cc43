"""Check a content tree against the content contract, independently of gxsite.

    python benches/check_tree.py TREE

Used to validate gen_content.py's output (and any other tree) without relying on
the build under test: every YAML file and front matter parses, required fields
are present with the right types, referenced ids exist, 索引号 are unique and
well formed, relative links and attachments resolve, no text looks like
personal data. Prints one `path: message` line per problem; exit 1 if any.
"""
from __future__ import annotations

import datetime as dt
import glob
import os
import re
import sys

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_content import CODE_CHARS, END, START, credit_check_char  # noqa: E402 (after the path set-up)

REQUIRED = {  # type -> its required own fields (content-format.md)
    "policy": ["doc_no", "issued"], "interpretation": ["interprets", "interpreter"],
    "decision": ["comment"], "open_day": ["event_date"], "hall_visit": ["event_date", "leader"],
    "enforcement": ["stage"], "progress": ["of"], "warning": ["level", "valid_until"],
    "plan": [], "response": [], "rectification": [], "fund": [], "notice": [], "news": [],
    "report": [], "page": [],
}
DATE_FIELDS = ["date", "updated", "issued", "event_date", "decision_date", "valid_until", "repealed"]
SELECT_KEYS = {"type", "org", "org_kind", "domains", "towns", "category", "stage", "topic"}
ID_RE = re.compile(r"^[a-z0-9-]+$")
INDEX_RE = re.compile(r"^([0-9A-Z]{18})/(\d{4})-(\d{5})$")
DOC_NO_RE = re.compile(r"^.+〔\d{4}〕\d+号$")
LINK_RE = re.compile(r"\]\(([^)\s]+\.md)\)")
MOBILE_RE = re.compile(r"(?<!\d)(?:\+86)?1[3-9]\d{9}(?!\d)")
LONG_DIGITS_RE = re.compile(r"\d{15,}")  # ID numbers (15/18) and bank cards (16-19)
MIN_BODY, MAX_BODY = 300, 1500


class Checker:
    def __init__(self, root: str):
        self.root = root
        self.problems: list = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(f"{os.path.relpath(path, self.root)}: {message}")

    def load(self, rel: str):
        path = os.path.join(self.root, rel)
        try:
            with open(path, encoding="utf-8") as f:
                return yaml.safe_load(f)
        except (OSError, yaml.YAMLError) as e:
            self.fail(path, f"cannot load: {e}")
            return None

    # -- site-wide files

    def check_registries(self):
        site = self.load("site.yaml") or {}
        for key in ("title", "base_url"):
            if not site.get(key):
                self.fail(os.path.join(self.root, "site.yaml"), f"missing {key}")
        orgs = {o["id"]: o for o in self.load("orgs.yaml") or []}
        for org in orgs.values():
            code = org.get("credit_code", "")
            if len(code) != 18 or any(c not in CODE_CHARS for c in code) or credit_check_char(code[:17]) != code[17]:
                self.fail(os.path.join(self.root, "orgs.yaml"), f"{org['id']}: bad credit code {code}")
        domains = {d["id"]: d for d in self.load("domains.yaml") or []}
        for d in domains.values():
            self.expect(d["org"] in orgs, "domains.yaml", f"domain {d['id']}: unknown org {d['org']}")
        columns = {c["id"]: c for c in self.load("columns.yaml") or []}
        for c in columns.values():
            self.check_column(c, columns, orgs, domains)
        for some_id in list(orgs) + list(domains) + list(columns):
            self.expect(ID_RE.match(some_id), "orgs/domains/columns", f"bad id {some_id!r}")
        return orgs, domains, columns

    def check_column(self, column, columns, orgs, domains):
        where = "columns.yaml"
        if "parent" in column:
            self.expect(column["parent"] in columns, where, f"{column['id']}: unknown parent")
        for key, value in (column.get("select") or {}).items():
            self.expect(key in SELECT_KEYS, where, f"{column['id']}: unknown select key {key}")
            values = value if isinstance(value, list) else [value]
            known = {"type": REQUIRED, "org": orgs, "domains": domains,
                     "towns": {o for o in orgs if orgs[o]["kind"] == "town"},
                     "org_kind": {"department", "town", "party", "other"},
                     "category": {"规范性文件", "其他文件"}, "stage": {"事前", "事中", "事后"}}.get(key)
            if known is not None:
                for v in values:
                    self.expect(v in known, where, f"{column['id']}: select {key}={v} matches nothing")

    def expect(self, ok, rel: str, message: str) -> None:
        if not ok:
            self.fail(os.path.join(self.root, rel), message)

    # -- items

    def read_item(self, path: str):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if not text.startswith("---\n") or "\n---\n" not in text[4:]:
            self.fail(path, "no front matter")
            return None, ""
        head, body = text[4:].split("\n---\n", 1)
        try:
            return yaml.safe_load(head), body.strip("\n")
        except yaml.YAMLError as e:
            self.fail(path, f"front matter: {e}")
            return None, ""

    def check_items(self, orgs, domains, columns):
        items_dir = os.path.join(self.root, "items")
        paths = sorted(glob.glob(os.path.join(items_dir, "*", "*", "*.md")))
        items = {}
        for path in paths:
            fm, body = self.read_item(path)
            if fm is not None:
                items[os.path.relpath(path, items_dir)[:-3]] = (path, fm, body)
        index_numbers: dict = {}
        for item_id, (path, fm, body) in items.items():
            self.check_item(item_id, path, fm, body, items, orgs, domains, columns)
            index_numbers.setdefault(fm.get("index_no"), []).append(item_id)
        for number, owners in index_numbers.items():
            if len(owners) > 1:
                self.fail(items_dir, f"index_no {number} shared by {owners}")
        return items

    def check_item(self, item_id, path, fm, body, items, orgs, domains, columns):
        org_id, year, _ = item_id.split("/")
        for key in ("title", "type", "org", "date", "index_no"):
            if key not in fm:
                self.fail(path, f"missing {key}")
                return
        if fm["type"] not in REQUIRED:
            self.fail(path, f"unknown type {fm['type']}")
            return
        missing = [key for key in REQUIRED[fm["type"]] if key not in fm]
        if missing:
            self.fail(path, f"{fm['type']} without {', '.join(missing)}")
            return
        for key in DATE_FIELDS:
            if key in fm and not isinstance(fm[key], dt.date):
                self.fail(path, f"{key} is not a date: {fm[key]!r}")
        if fm["org"] != org_id or str(fm["date"].year) != year:
            self.fail(path, "folder does not match org/date")
        if not START <= fm["date"] <= END:
            self.fail(path, f"date {fm['date']} out of range")
        self.check_index_no(path, fm, orgs)
        if fm["type"] == "policy" and not DOC_NO_RE.match(fm["doc_no"]):
            self.fail(path, f"malformed doc_no {fm['doc_no']}")
        self.check_refs(path, fm, items, orgs, domains, columns)
        if not MIN_BODY <= len(body) <= MAX_BODY:
            self.fail(path, f"body of {len(body)} characters")
        for target in LINK_RE.findall(body):
            if not os.path.isfile(os.path.normpath(os.path.join(os.path.dirname(path), target))):
                self.fail(path, f"broken link {target}")
        for attachment in fm.get("attachments", []):
            if not os.path.isfile(os.path.join(path[:-3], attachment["file"])):
                self.fail(path, f"missing attachment {attachment['file']}")

    def check_index_no(self, path, fm, orgs):
        match = INDEX_RE.match(str(fm["index_no"]))
        if not match:
            self.fail(path, f"malformed index_no {fm['index_no']}")
        elif match.group(1) != orgs.get(fm["org"], {}).get("credit_code") or int(match.group(2)) != fm["date"].year:
            self.fail(path, f"index_no {fm['index_no']} does not match org/year")

    def check_refs(self, path, fm, items, orgs, domains, columns):
        def exists(item_id, want_type=None, not_after=None):
            entry = items.get(item_id)
            ok = entry is not None and (want_type is None or entry[1]["type"] == want_type)
            if ok and not_after is not None:
                ok = entry[1]["date"] <= not_after
            if not ok:
                self.fail(path, f"bad reference {item_id} (want {want_type or 'an item'})")

        if fm["org"] not in orgs:
            self.fail(path, f"unknown org {fm['org']}")
        for d in fm.get("domains", []):
            self.expect(d in domains, os.path.relpath(path, self.root), f"unknown domain {d}")
        for t in fm.get("towns", []):
            self.expect(orgs.get(t, {}).get("kind") == "town", os.path.relpath(path, self.root), f"unknown town {t}")
        for c in fm.get("columns", []):
            self.expect(c in columns, os.path.relpath(path, self.root), f"unknown column {c}")
        for r in fm.get("related", []):
            exists(r)
        if fm["type"] == "interpretation":
            exists(fm["interprets"], "policy", fm["date"])
        if fm["type"] == "progress":
            exists(fm["of"], "plan", fm["date"])
        if fm.get("replaced_by"):
            exists(fm["replaced_by"], "policy")
        if fm["type"] == "enforcement" and fm["stage"] == "事后" and "decision_date" not in fm:
            self.fail(path, "事后 enforcement without decision_date")

    # -- data files

    def check_data(self, orgs, domains, columns):
        services = {}
        for path in sorted(glob.glob(os.path.join(self.root, "data", "services", "*", "*.yaml"))):
            rel = os.path.relpath(path, os.path.join(self.root, "data", "services"))[:-5]
            services[rel] = self.load(os.path.relpath(path, self.root))
            self.expect(rel.split("/")[0] in orgs, os.path.relpath(path, self.root), "unknown org")
        for place in self.load("data/places.yaml") or []:
            for s in place.get("services", []):
                self.expect(s in services, "data/places.yaml", f"{place['id']}: unknown service {s}")
            self.expect(place["town"] in orgs, "data/places.yaml", f"{place['id']}: unknown town")
        for path in glob.glob(os.path.join(self.root, "data", "officers", "*.yaml")):
            rel = os.path.relpath(path, self.root)
            self.expect(os.path.basename(path)[:-5] in orgs, rel, "unknown org")
            self.load(rel)
        for path in glob.glob(os.path.join(self.root, "data", "catalog", "*.yaml")):
            rel = os.path.relpath(path, self.root)
            catalog = self.load(rel) or {}
            self.expect(catalog.get("domain") in domains, rel, "unknown domain")
            for entry in catalog.get("entries", []):
                self.expect(entry["subject"] in orgs, rel, f"unknown subject {entry['subject']}")
                self.expect(entry.get("column", "zfxxgk") in columns, rel, f"unknown column {entry.get('column')}")

    def check_personal_data(self):
        for folder, _, files in os.walk(self.root):
            for name in files:
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                for regex, what in ((MOBILE_RE, "mobile number"), (LONG_DIGITS_RE, "long digit run")):
                    hit = regex.search(text)
                    if hit:
                        self.fail(path, f"looks like a {what}: {hit.group()}")

    def run(self) -> list:
        orgs, domains, columns = self.check_registries()
        self.check_items(orgs, domains, columns)
        self.check_data(orgs, domains, columns)
        self.check_personal_data()
        return self.problems


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python benches/check_tree.py TREE", file=sys.stderr)
        return 2
    problems = Checker(argv[0]).run()
    for line in problems:
        print(line)
    print(f"{len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
