"""Every URL and output path is decided here, and nowhere else.

URLs are site paths ("/items/sfj/2023/x/"). Pages link with paths relative to the site root
of the page being rendered, so the site works under any base path and on an intranet.
"""
from __future__ import annotations

import re

from urllib.parse import quote, unquote, urlsplit

CARE = "/care"   # the large-font twin lives at the same path under /care

# Body HTML is rendered once; these schemes mark links the page or feed fills in later.
PAGE_MARK = "gx-page:/"   # another page: follows the variant (standard / care)
FILE_MARK = "gx-file:/"   # a file (attachment, asset): the same for both variants


def item(item_id: str) -> str:
    return f"/items/{item_id}/"


def attachment(item_id: str, file: str) -> str:
    return quote(f"/items/{item_id}/{file}")


def content_file(rel: str) -> str:
    """The site path of a file kept at the same place as in content/ (e.g. items/…/附件.csv)."""
    return quote("/" + rel)


def column(column_id: str, page: int = 1) -> str:
    return paged(f"/columns/{column_id}/", page)


def listing(kind: str, key: str, page: int = 1) -> str:
    """Automatic listings: kind is one of orgs, domains, types, towns, years."""
    return paged(f"/{kind}/{key}/", page)


def paged(base: str, page: int) -> str:
    return base if page == 1 else f"{base}page/{page}/"


def service(service_id: str) -> str:
    return f"/services/{service_id}/"


def place(place_id: str) -> str:
    return f"/map/{place_id}/"


# The content API (site/sections/api.py): JSON files under /api/, named after the pages they mirror.
API = "/api/"


def api_item(item_id: str) -> str:
    return f"{API}items/{item_id}.json"


def api_listing(kind: str, key: str, page: int = 1) -> str:
    """A listing's page n (from 1; kind "columns" for a column, else an automatic listing's kind)."""
    return f"{API}{kind}/{key}/page/{page}.json"


def api_service(service_id: str) -> str:
    return f"{API}services/{service_id}.json"


def api_schema(kind: str) -> str:
    return f"{API}schema/{kind}.json"


def output_path(url: str) -> str:
    """The file under output/ that serves a site path (paths are percent-encoded, files are not)."""
    path = unquote(url.lstrip("/"))
    return path + "index.html" if (path == "" or path.endswith("/")) else path


def care(url: str) -> str:
    return CARE + url


def root_prefix(page_url: str) -> str:
    """The relative path from a page back to the site root: "../../" for "/a/b/"."""
    depth = page_url.count("/") - 1
    return "../" * depth if depth > 0 else "./"


def base_path(base_url: str) -> str:
    """The path part of base_url ("/" or "/xxgk/"), for pages served from any path (404)."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def absolute(base_url: str, url: str) -> str:
    return base_url.rstrip("/") + url


def printed(base_url: str, url: str) -> str:
    """An absolute address written out as text (on paper, in the 关怀版): percent-encoded like the
    href, so that what a reader copies or types is exactly what the link opens."""
    return quote(absolute(base_url, url), safe=":/?#[]@!$&'()*+,;=%~")


def fill_marks(html: str, page_prefix: str, file_prefix: str) -> str:
    """Turn body-link marks into real links for one page or feed."""
    return html.replace(PAGE_MARK, page_prefix).replace(FILE_MARK, file_prefix)


def tel(phone: str) -> str:
    """A tel: link for a phone number as written ("0831-6502101" → "tel:08316502101"); "" without digits."""
    digits = re.sub(r"[^0-9+]", "", phone)
    digits = digits[:1] + digits[1:].replace("+", "")   # only a leading + means anything
    return "tel:" + digits if digits else ""
