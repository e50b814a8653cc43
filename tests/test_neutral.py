"""gxsite is a tool for any county: nothing in the package names the bundled example's county
(高县) — everything county-specific comes from content/site.yaml — and the repository's own
docs are complete: docs/content-format.md is the contract itself, documents every key a content
file may have, and lists every rule the checks report with its source."""
from __future__ import annotations

import re

from conftest import REPO, messages, parse
from gxsite.site.sections import catalog
from gxsite import cli
from gxsite.checks import personal, rules
from gxsite.content import schema

EXAMPLE_COUNTY = ("高县", "gaoxian")
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
CONTRACT = REPO / "docs" / "content-format.md"


VENDORED = REPO / "gxsite" / "admin" / "decap"   # Decap CMS as npm ships it, fetched at packaging time


BINARY = {".png", ".ico", ".jpg", ".gif", ".webp"}   # pictures carry no words to check


def package_files():
    """Every file of the package and its templates (the example's content/ and tests/ are not, nor
    the vendored Decap bundle, which is not ours to word)."""
    for folder in (REPO / "gxsite", REPO / "templates"):
        yield from (p for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts
                    and VENDORED not in p.parents and p.suffix not in BINARY)


def test_the_package_never_names_the_example_county():
    found = []
    for path in package_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if any(word in line.lower() for word in EXAMPLE_COUNTY):
                found.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_help_and_package_description_are_county_neutral():
    text = cli.make_parser().format_help()
    assert "政务公开网站生成器" in text
    description = next(line for line in (REPO / "pyproject.toml").read_text(encoding="utf-8").splitlines()
                       if line.startswith("description"))
    for words in (text, description):
        assert not any(w in words.lower() for w in EXAMPLE_COUNTY), words


def test_another_countys_site_never_names_the_example_county(built):
    """A site built for 测试县 (conftest) carries nothing of 高县: no text, no file name."""
    result, out = built()
    assert result.ok, messages(result)
    found = []
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if any(w in rel.lower() for w in EXAMPLE_COUNTY):
            found.append(f"file name {rel}")
        if path.is_file():
            body = path.read_bytes().decode("utf-8", errors="replace").lower()
            found += [f"{rel}: {w}" for w in EXAMPLE_COUNTY if w in body]
    assert not found, "\n".join(found[:20])
    # the catalogue's table has one name on every site, and the page links to it
    assert catalog.CSV_PATH == "catalog/catalog.csv"
    href = parse(out / "catalog/index.html").xpath("//a[@download]/@href")[0]
    assert (out / "catalog" / href).resolve() == (out / catalog.CSV_PATH).resolve()
    assert (out / catalog.CSV_PATH).read_bytes().startswith(b"\xef\xbb\xbf")


# ---- the docs are complete on their own ------------------------------------------------------

def test_docs_point_to_nothing_outside_the_repository():
    outside = ("rules.md", "公共契约", "public contract", "../shared", "shared/")
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for word in outside:
            assert word not in text, f"{doc.relative_to(REPO)} mentions {word}"
        prose = re.sub(r"`[^`\n]*`", "", re.sub(r"```.*?```", "", text, flags=re.S))   # examples are not links
        for target in re.findall(r"\]\(([^)#\s]+)", prose):
            if "://" not in target:
                assert (doc.parent / target).exists(), f"{doc.relative_to(REPO)} links to {target}, which is not there"
    assert "本手册就是" in CONTRACT.read_text(encoding="utf-8")    # it says it is the contract


def documented(key: str, text: str) -> bool:
    """The key written as a word of its own (`key`, **key**, key: …, key（…）)."""
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(key)}(?![A-Za-z0-9_])", text) is not None


def test_every_key_a_content_file_may_have_is_documented():
    text = CONTRACT.read_text(encoding="utf-8")
    tables = {"site.yaml": schema.SITE, "contact": schema.CONTACT, "orgs.yaml": schema.ORG,
              "domains.yaml": schema.DOMAIN, "columns.yaml": schema.COLUMN, "items": schema.COMMON,
              "data/officers": schema.OFFICER, "data/places.yaml": schema.PLACE,
              "data/services": schema.SERVICE, "data/catalog": schema.CATALOG_ENTRY,
              **{f"type {t}": fields for t, fields in schema.TYPE_FIELDS.items()}}
    missing = [f"{where}: {key}" for where, fields in tables.items() for key in fields if not documented(key, text)]
    missing += [f"site.yaml disclosure: {key}" for key in ("guide", "rules", "reports") if not documented(key, text)]
    missing += [f"site.yaml rules: {key}" for key in (*rules.THRESHOLDS, *rules.CALENDAR_KEYS) if not documented(key, text)]
    missing += [f"columns.yaml select: {key}" for key in schema.SELECT_KEYS if not documented(key, text)]
    assert not missing, "\n".join(missing)


def test_every_rule_the_checks_report_is_listed_with_its_source():
    code = "\n".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "gxsite").glob("*.py")))
    ids = set(re.findall(r'rule="([a-z0-9-]+)"', code)) | set(personal.RULES.values())
    text = CONTRACT.read_text(encoding="utf-8")
    assert "## 附：规则与依据" in text
    appendix = text[text.index("## 附：规则与依据"):]
    missing = sorted(i for i in ids if f"`{i}`" not in appendix)
    assert not missing, f"rules not in 附：规则与依据: {missing}"
