"""Write the content API's JSON Schemas into docs/api-schema/<kind>.json, byte for byte as the build
writes /api/schema/<kind>.json, so app developers can read them without building the site.

Run after changing gxsite/site/sections/api_schema.py (or a table of gxsite/content/schema.py
the schemas are made from), and commit the files; tests/test_api_client.py fails until they agree:

    python scripts/write_api_schemas.py
"""
from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "api-schema"


def main() -> int:
    sys.path.insert(0, str(REPO))   # run from a checkout without installing gxsite
    from gxsite.site.sections.api import dump
    from gxsite.site.sections.api_schema import schemas

    OUT.mkdir(parents=True, exist_ok=True)
    made = schemas()
    for kind, doc in made.items():
        path = OUT / f"{kind}.json"
        data = dump(doc, pretty=True)
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
            print(f"已写入 {path.relative_to(REPO)}")
    # A kind dropped from the contract must not linger in the docs.
    for stale in sorted(OUT.glob("*.json")):
        if stale.stem not in made:
            stale.unlink()
            print(f"已删除 {stale.relative_to(REPO)}（接口中已没有这类文档）")
    print(f"docs/api-schema/：{len(made)} 个 JSON Schema，与 /api/schema/ 一致。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
