"""Personal data in content: resident ID numbers, mobile numbers and bank card numbers.

《政府信息公开条例》art. 15: personal information is de-identified before publication. Every
text file an editor writes (item front matter and bodies, data files, CSV/TXT/Markdown
attachments) is scanned line by line; each finding is an error naming the file and line and
showing the number masked, never in full.

What counts (docs/content-format.md, 附：规则与依据):
- 18-digit resident ID numbers with a valid GB 11643 check character and birth date;
  15-digit legacy IDs (birth date yymmdd, before 2000);
- mobile numbers 1[3-9]xxxxxxxxx, optionally written with +86, not inside a longer digit run;
- bank card numbers: 16–19 digits passing the Luhn check.
Digit runs are delimited with digit look-arounds, never `\\b` (Chinese characters are word
characters for `re`). Not flagged: masked forms (511525********123X, 138****5678), the
official contact numbers of `phone` fields, 统一社会信用代码, 索引号, 文号, dates, amounts,
landlines and numbers inside web addresses.

A message's 留言人 (`asker`) is published as written, so it must already be masked (王**,
李先生, 张女士, 匿名): a bare 2–4 character Chinese name is a reminder (rule message-asker).
"""
from __future__ import annotations

import datetime as dt
import posixpath
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from gxsite.cache.memo import Memo, digest
from gxsite.core.problems import Problems
from gxsite.core.source import walk

ID18_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID18_CHECK = "10X98765432"
# GB/T 2260 province-level codes (first two digits of a resident ID number).
PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83".split())
# 统一社会信用代码: registration authority + entity type (first two characters, GB 32100).
CREDIT_TYPES = frozenset(
    "11 12 13 19 21 29 31 32 33 34 35 39 41 49 51 52 53 59 61 62 69 71 72 79 81 89 91 92 93".split())
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

KINDS = {"id": "居民身份证号码", "id15": "15位居民身份证号码", "mobile": "手机号码", "bankcard": "银行卡号"}
RULES = {"id": "personal-id", "id15": "personal-id", "mobile": "personal-mobile", "bankcard": "personal-bankcard"}
TEXT_SUFFIXES = {".md", ".markdown", ".yaml", ".yml", ".csv", ".tsv", ".txt"}
MEMO_KIND = "personal-stat"   # files already scanned: done with once the tree is checked

# Full-width digits and signs (common in documents pasted from Word) become ASCII, one for one.
_WIDE = str.maketrans("０１２３４５６７８９＋Ｘｘ－　", "0123456789+Xx- ")

_NOT_DIGIT_BEFORE = r"(?<![0-9])(?<![0-9]\.)"
_NOT_DIGIT_AFTER = r"(?![0-9])(?!\.[0-9])"
_ID18 = re.compile(_NOT_DIGIT_BEFORE + r"(\d{6})([ -]?)(\d{8})\2(\d{3}[0-9Xx])(?![0-9Xx])(?!\.[0-9])")
_ID15 = re.compile(_NOT_DIGIT_BEFORE + r"(\d{15})(?![0-9Xx])(?!\.[0-9])")
_CARD = re.compile(_NOT_DIGIT_BEFORE + r"(?:\d{16,19}(?![0-9Xx])|\d{4}([ -])\d{4}\1\d{4}\1\d{4}(?:\1\d{1,3})?"
                   + _NOT_DIGIT_AFTER + r")(?!\.[0-9])")
_MOBILE = re.compile(_NOT_DIGIT_BEFORE + r"(?:(?:\+86|0086|\(\+86\)|（\+86）)[ -]?)?(1[3-9]\d)([ -]?)(\d{4})\2(\d{4})"
                     + _NOT_DIGIT_AFTER)
# Quick test: does a text hold anything the patterns above could match?
# (`\d` also matches full-width digits, so the test runs before they are converted.)
_MAYBE = re.compile(r"\d(?:\d{10}|[ -]\d{4}[ -]\d{4}|\d{5}[ -]\d{8})")

# Spans that are never personal data, blanked before matching.
_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]+")
_INDEX_NO = re.compile(r"[0-9A-Z]{9}(?:[0-9A-Z]{9})?/\d{4}-\d{5}")
_LABELLED = re.compile(
    r"(?:统一社会信用代码|社会信用代码|信用代码|纳税人识别号|识别号|税号|注册号|组织机构代码|机构代码|索引号|"
    r"credit_code|index_no)[\"']?\s*[:：]?\s*[\"']?([0-9A-Za-z/-]{9,24})")
_AMOUNT_AFTER = re.compile(r"\s*(?:元|万元|亿元|万|亿|千元|美元)")
_AMOUNT_BEFORE = ("¥", "￥", "$", "RMB")
# An asker written as a full name: 2–4 Chinese characters and none of the marks of a masked form.
_BARE_NAME = re.compile(r"[\u3400-\u9fff]{2,4}")
MASKED_MARKS = ("*", "＊", "×", "某", "先生", "女士", "同志", "匿名", "网友", "市民", "群众", "居民", "村民",
                "家长", "老师", "师傅")
_PHONE_FIELD = re.compile(r"(?<![A-Za-z_])phone[\"']?\s*:\s*[\"']?([+0-9 ()（）-]{7,30})")


@dataclass(frozen=True)
class Finding:
    kind: str          # id | id15 | mobile | bankcard
    line: int          # 1-based line in the text
    column: int        # 1-based column of the number's first character
    masked: str

    @property
    def label(self) -> str:
        return KINDS[self.kind]

    @property
    def rule(self) -> str:
        return RULES[self.kind]


# ---- the number checks ------------------------------------------------------------------


def id18_valid(number: str, today: dt.date | None = None) -> bool:
    """GB 11643: province code, a real birth date not in the future, ISO 7064 MOD 11-2 check."""
    if len(number) != 18 or not number[:17].isdigit() or number[:2] not in PROVINCES:
        return False
    if not _birth_ok(int(number[6:10]), int(number[10:12]), int(number[12:14]), today):
        return False
    total = sum(int(c) * w for c, w in zip(number[:17], ID18_WEIGHTS))
    return ID18_CHECK[total % 11] == number[17].upper()


def id15_valid(number: str, today: dt.date | None = None) -> bool:
    """Legacy 15-digit ID: province code and a birth date yymmdd (19yy)."""
    if len(number) != 15 or not number.isdigit() or number[:2] not in PROVINCES:
        return False
    return _birth_ok(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]), today)


def _birth_ok(year: int, month: int, day: int, today: dt.date | None) -> bool:
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return False
    return dt.date(1900, 1, 1) <= born <= (today or dt.date.today())


def luhn_valid(number: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(number)):
        d = int(c)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def credit_code_valid(code: str) -> bool:
    """GB 32100-2015 check character of a 统一社会信用代码."""
    if len(code) != 18 or any(c not in CREDIT_CHARS for c in code):
        return False
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(code[:17], CREDIT_WEIGHTS))
    return CREDIT_CHARS[(31 - total % 31) % 31] == code[17]


def _card_like(digits: str, today: dt.date | None) -> bool:
    """16–19 digits with a card issuer prefix and a Luhn check digit, and not an ID or credit code."""
    if not 16 <= len(digits) <= 19 or not luhn_valid(digits):
        return False
    # ISO/IEC 7812 major industry identifier: 3–6 (banking and financial), 9 (national use: old
    # Chinese debit cards 95xx), and Mastercard's 2221–2720. Order and project numbers are not.
    if not (digits[0] in "34569" or 2221 <= int(digits[:4]) <= 2720):
        return False
    if len(digits) == 18:
        if digits[:2] in PROVINCES and digits[6:8] in ("18", "19", "20"):
            return False   # shaped like an ID number (the ID check failed): not a card either
        if digits[:2] in CREDIT_TYPES and credit_code_valid(digits):
            return False   # an all-digit 统一社会信用代码
    return True


def mask(kind: str, digits: str) -> str:
    if kind == "id":
        return digits[:6] + "*" * 8 + digits[-4:]
    if kind == "id15":
        return digits[:6] + "*" * 6 + digits[-3:]
    if kind == "mobile":
        return digits[:3] + "****" + digits[-4:]
    return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]


def digits_of(text: str) -> str:
    return re.sub(r"[^0-9Xx]", "", text.translate(_WIDE)).upper()


def official_numbers(text: str) -> set[str]:
    """The numbers written in `phone:` fields of a YAML text: official contacts, public by design."""
    out = set()
    for match in _PHONE_FIELD.finditer(text):
        for part in re.split(r"[,，、/；;]", match.group(1)):
            digits = digits_of(part)
            if digits:
                out.add(_national(digits))
    return out


def _national(digits: str) -> str:
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            return digits[len(prefix):]
    return digits


# ---- scanning ---------------------------------------------------------------------------


def scan(text: str, official: Iterable[str] = (), today: dt.date | None = None) -> list[Finding]:
    """Every personal number in a text, in order, each once."""
    if not _MAYBE.search(text):
        return []
    text = text.translate(_WIDE)
    official = set(official) | official_numbers(text)
    found: list[Finding] = []
    for number, line in enumerate(text.split("\n"), 1):
        if _MAYBE.search(line):
            found.extend(_scan_line(_blank_exempt(line), number, official, today))
    return found


def _blank_exempt(line: str) -> str:
    """The line with web addresses, 索引号 and labelled organisation codes replaced by spaces."""
    def blank(match: re.Match, group: int = 0) -> str:
        start, end = match.span(group)
        return match.string[match.start():start] + " " * (end - start) + match.string[end:match.end()]
    line = _URL.sub(blank, line)
    line = _INDEX_NO.sub(blank, line)
    return _LABELLED.sub(lambda m: blank(m, 1), line)


def _is_amount(line: str, start: int, end: int) -> bool:
    before = line[max(0, start - 3):start].rstrip()
    return bool(_AMOUNT_AFTER.match(line, end)) or before.endswith(_AMOUNT_BEFORE)


def _scan_line(line: str, number: int, official: set[str], today: dt.date | None) -> list[Finding]:
    taken: list[tuple[int, int]] = []
    out: list[Finding] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(kind: str, match: re.Match, digits: str) -> None:
        taken.append(match.span())
        out.append(Finding(kind, number, match.start() + 1, mask(kind, digits)))

    for m in _ID18.finditer(line):
        digits = digits_of(m.group())
        if id18_valid(digits, today):
            add("id", m, digits)
    for m in _CARD.finditer(line):
        digits = digits_of(m.group())
        if free(*m.span()) and not _is_amount(line, *m.span()) and _card_like(digits, today):
            add("bankcard", m, digits)
    for m in _ID15.finditer(line):
        if free(*m.span()) and not _is_amount(line, *m.span()) and id15_valid(m.group(), today):
            add("id15", m, m.group())
    for m in _MOBILE.finditer(line):
        digits = m.group(1) + m.group(3) + m.group(4)
        if free(*m.span()) and not _is_amount(line, *m.span()) and digits not in official:
            add("mobile", m, digits)
    return sorted(out, key=lambda f: f.column)


def read_any(path: Path) -> str | None:
    """A text file as UTF-8 (BOM accepted) or, for attachments saved by Excel/WPS, GB 18030."""
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        return None
    return decode_any(data)


def decode_any(data: bytes) -> str | None:
    """read_any of bytes already in hand (an attachment being uploaded)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            continue
    return None


def text_files(content: Path) -> list[str]:
    """Every text file editors write (paths relative to content): YAML settings and data, items,
    and text attachments."""
    return [f.rel for f in _text_files(content)]


def _text_files(content: Path):
    return [f for f in walk(content)
            if not any(p.startswith(".") for p in f.rel.split("/"))
            and posixpath.splitext(f.rel)[1].lower() in TEXT_SUFFIXES]


def library_numbers(lib) -> set[str]:
    """Every official contact number of the loaded content (orgs, site, places, services, items)."""
    phones = [lib.site.contact.phone] + [o.phone for o in lib.orgs.values()]
    phones += [p.phone for p in lib.places.values()] + [s.phone for s in lib.services.values()]
    for item in lib.items.values():
        for person in (item.interpreter, item.leader, item.comment):
            if person is not None:
                phones.append(person.phone)
    out = set()
    for phone in phones:
        for part in re.split(r"[,，、/；;]", phone or ""):
            digits = digits_of(part)
            if digits:
                out.add(_national(digits))
    return out


def check_tree(content: Path, lib, today: dt.date, problems: Problems, memo: Memo | None = None) -> None:
    """Scan every text file of a content tree, reporting each finding as an error; then the
    messages' askers (reminders). With a memo, a file whose size and time are as recorded is not
    read again (the rule load.py follows): its findings are kept with the numbers and day they
    were judged against."""
    official = library_numbers(lib)
    judged = digest(today.isoformat(), *sorted(official))
    memo = memo or Memo()
    for file in _text_files(content):
        stat_key = digest(file.rel, judged)
        seen = memo.get(MEMO_KIND, stat_key)
        if seen is not None:
            size, mtime_ns, recorded_ns, found = seen
            if (size, mtime_ns) == (file.size, file.mtime_ns) and mtime_ns < recorded_ns - 2_000_000_000:
                for line, text, rule in found:
                    problems.error(file.rel, line, text, rule=rule)
                continue
        found = Problems()
        check_file(content, file.rel, official, today, found)
        memo.put(MEMO_KIND, stat_key, (file.size, file.mtime_ns, time.time_ns(),
                                             tuple((p.line, p.message, p.rule) for p in found.errors)))
        problems.extend(found.items)
    check_askers(lib, problems)


def unmasked_asker(asker: str) -> bool:
    """A 留言人 that reads as someone's full name (王小明), not a masked form (王**, 王先生, 匿名)."""
    asker = asker.strip()
    return bool(_BARE_NAME.fullmatch(asker)) and not any(mark in asker for mark in MASKED_MARKS)


def check_askers(lib, problems: Problems) -> None:
    """Reminders for messages whose 留言人 is written as a full name."""
    for item in lib.items.values():
        if item.type == "message" and item.asker and unmasked_asker(item.asker):
            problems.warn(item.path, item.lines.get("asker", 0),
                          f"留言人“{item.asker}”像是未隐去的姓名，公开前须去标识化：请改为“{item.asker[0]}**”"
                          f"“{item.asker[0]}先生”“{item.asker[0]}女士”或“匿名”等形式", rule="message-asker")


def check_file(content: Path, rel: str, official: set[str], today: dt.date, problems: Problems) -> None:
    """One text file's findings, as errors (a running preview checks the file an editor saved)."""
    text = read_any(content / rel)
    if text is not None:
        for f in scan(text, official, today):
            problems.error(rel, f.line, message(f), rule=f.rule)


def message(f: Finding) -> str:
    if f.kind == "mobile":
        fix = "请删除或脱敏（如 138****5678）；单位办公电话请写在 phone 字段"
    elif f.kind == "bankcard":
        fix = "请删除或脱敏（只保留前4位和后4位）"
    else:
        fix = "请删除或脱敏（如 511525********123X）"
    return f"含有个人信息：{f.label} {f.masked}，公开前须去标识化，{fix}"
