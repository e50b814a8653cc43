"""Precompressed twins (`x.html.gz`, `x.html.br`) of text files, for servers that send them as
they are (nginx `gzip_static` / `brotli_static`) instead of compressing on every request.
Which twins a site gets is site.yaml's `precompress` (default gzip only: stock nginx has
`gzip_static`, while `brotli_static` needs a module most county servers lack, and brotli took
over a third of a whole build's CPU at 10,000 items).

Twins depend only on the file's bytes: the gzip header carries no name and mtime 0, so a
rebuild writes the same twins byte for byte.
"""
from __future__ import annotations

import struct
import zlib

import brotli
import deflate

MIN_SIZE = 512    # below this a compressed answer saves less than the request's own headers
SUFFIXES = (".html", ".css", ".js", ".json", ".xml", ".svg", ".csv", ".bin")   # .bin: the search index shards, which compress to half
TWINS = (".gz", ".br")
KINDS = {"gzip": ".gz", "brotli": ".br"}   # site.yaml's precompress names -> twin suffix
# Measured on a 1,000-item site's 33 MB of text: quality 11 takes ~75 s for 7.5 MB, 8 takes 1.4 s
# for 8.2 MB, 5 takes 0.8 s for 8.5 MB (gzip -9: 0.6 s, 9.8 MB). 11 would multiply the build time;
# 5 keeps the twins' cost near gzip's and still sends 14 % less than gzip.
BROTLI_QUALITY = 5
# libdeflate (PyPI deflate) at 6 makes deflate streams 0.2 % smaller than zlib -9 in a third of the
# time (2,000 item pages: 0.22 s against 0.57 s); the twins were a third of a cold build's CPU.
GZIP_LEVEL = 6


def eligible(rel: str, size: int) -> bool:
    return size > MIN_SIZE and rel.endswith(SUFFIXES)


def is_twin(rel: str) -> bool:
    return rel.endswith(TWINS)


def twin_paths(rel: str) -> list[str]:
    """Every twin `rel` could have, made or not (what is removed with it)."""
    return [rel + suffix for suffix in TWINS]


def suffixes(kinds) -> tuple[str, ...]:
    """The twin suffixes of site.yaml's `precompress` names, in TWINS order."""
    wanted = {KINDS[kind] for kind in kinds}
    return tuple(suffix for suffix in TWINS if suffix in wanted)


def gzip_bytes(data: bytes) -> bytes:
    """gzip with a fixed header (no name, mtime 0, OS unknown), the same on every machine."""
    body = deflate.deflate_compress(data, GZIP_LEVEL)
    header = b"\x1f\x8b\x08\x00" + b"\x00\x00\x00\x00" + b"\x00\xff"
    return header + body + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)


def brotli_bytes(data: bytes) -> bytes:
    return brotli.compress(data, mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY)


_MAKE = {".gz": gzip_bytes, ".br": brotli_bytes}


def twins(rel: str, data: bytes, made: tuple[str, ...], taken=frozenset()) -> list[tuple[str, bytes]]:
    """The twins `rel` gets of the `made` suffixes ([] for a small or binary file); a twin name
    that is itself an output (`taken`, e.g. an attachment really named x.csv.gz) is left to it."""
    if not made or not eligible(rel, len(data)):
        return []
    return [(rel + suffix, _MAKE[suffix](data)) for suffix in made if rel + suffix not in taken]
