"""Precompressed twins: every eligible file has the twins site.yaml's `precompress` names (.gz
unless it says otherwise) and they decompress to it, small and binary files have none, a rebuild
writes them byte for byte again, the link check does not see them."""
from __future__ import annotations

import gzip
from pathlib import Path

import brotli
import pytest

from conftest import SITE, TODAY, REPO
from gxsite import pipeline
from gxsite.core import compress


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _example(tmp_path, name) -> dict[str, bytes]:
    out = tmp_path / name
    result = pipeline.build(REPO / "content", out, TODAY, progress=False, force=True)
    assert result.ok, result.problems.errors[:3]
    return _files(out)


def _small_tree(tree, tmp_path, site_yaml: str | None = None) -> dict[str, bytes]:
    out = tmp_path / "small"
    content = tree({"site.yaml": site_yaml} if site_yaml else {})
    assert pipeline.build(content, out, TODAY, progress=False).ok
    return _files(out)


DECOMPRESS = {".gz": gzip.decompress, ".br": brotli.decompress}


def _check_twins(files: dict[str, bytes], suffixes: tuple[str, ...]) -> tuple[list, list, list]:
    """Every eligible file has exactly the twins of `suffixes`, and nothing else has any."""
    originals = {rel: data for rel, data in files.items() if not compress.is_twin(rel)}
    eligible = [rel for rel, data in originals.items() if compress.eligible(rel, len(data))]
    for rel in eligible:
        for suffix in compress.TWINS:
            if suffix in suffixes:
                assert DECOMPRESS[suffix](files[rel + suffix]) == originals[rel], rel
            else:
                assert rel + suffix not in files, rel
    small = [rel for rel, data in originals.items() if rel.endswith(compress.SUFFIXES) and len(data) <= compress.MIN_SIZE]
    binary = [rel for rel in originals if not rel.endswith(compress.SUFFIXES)]
    for rel in small + binary:
        assert rel + ".gz" not in files and rel + ".br" not in files, rel
    assert sum(compress.is_twin(rel) for rel in files) == len(suffixes) * len(eligible)   # no twin without its file
    return eligible, small, binary


def test_small_files_get_no_twins_and_gzip_is_the_default(tree, tmp_path):
    eligible, small, binary = _check_twins(_small_tree(tree, tmp_path), (".gz",))
    assert "catalog/catalog.csv" in small and eligible and binary   # both sides of the rule are met


@pytest.mark.parametrize("line, suffixes", [("precompress: [gzip, brotli]", (".gz", ".br")),
                                            ("precompress: brotli", (".br",)), ("precompress: []", ())])
def test_site_yaml_chooses_the_twins(tree, tmp_path, line, suffixes):
    eligible, _, _ = _check_twins(_small_tree(tree, tmp_path, SITE + line + "\n"), suffixes)
    assert eligible


def test_an_unknown_kind_of_twin_is_an_error_naming_the_line(tree, tmp_path):
    content = tree({"site.yaml": SITE + "precompress: [gzip, zstd]\n"})
    result = pipeline.build(content, tmp_path / "out", TODAY, progress=False)
    line = SITE.count("\n") + 1
    assert [(e.path, e.line) for e in result.problems.errors] == [("site.yaml", line)]
    assert "zstd" in result.problems.errors[0].message and "brotli" in result.problems.errors[0].message
    assert not (tmp_path / "out").exists()


def test_twins_decompress_to_the_file_and_follow_the_threshold(tmp_path):
    files = _example(tmp_path, "a")   # the example's site.yaml asks for both
    eligible, small, binary = _check_twins(files, (".gz", ".br"))
    assert len(eligible) > 500 and binary
    assert {"index.html.gz", "index.html.br", "assets/site.css.br", "sitemap.xml.gz"} <= set(files)


def test_gzip_header_has_no_name_and_no_time(tmp_path):
    data = b"<html>" + "政务公开".encode() * 400 + b"</html>"
    gz = compress.gzip_bytes(data)
    assert gz[:4] == b"\x1f\x8b\x08\x00"        # no FNAME flag
    assert gz[4:8] == b"\x00\x00\x00\x00"       # mtime 0
    assert gzip.decompress(gz) == data
    both = compress.suffixes(["brotli", "gzip"])
    assert both == (".gz", ".br")
    assert compress.twins("a.html", b"x" * compress.MIN_SIZE, both) == []   # the threshold is "over"
    assert [p for p, _ in compress.twins("a.html", b"x" * (compress.MIN_SIZE + 1), both, {"a.html.gz"})] == ["a.html.br"]


def test_two_builds_write_identical_twins(tmp_path):
    first, second = _example(tmp_path, "a"), _example(tmp_path, "b")
    assert [r for r in first if compress.is_twin(r)] == [r for r in second if compress.is_twin(r)]
    assert first == second


def test_link_check_counts_no_twin(tmp_path):
    out = tmp_path / "s"
    result = pipeline.build(REPO / "content", out, TODAY, progress=False, force=True)
    assert not any(compress.is_twin(p) for p in result.outputs)
    on_disk = sum(1 for p in out.rglob("*") if p.is_file() and not compress.is_twin(p.name))
    assert result.links.pages == sum(1 for p in result.outputs if p.endswith((".html", ".xml")))
    assert on_disk == result.files
