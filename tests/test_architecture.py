"""The package's layout keeps its promises (docs/architecture.md): rooms import only rooms below
them, and no module imports itself back through others."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "gxsite"

# Bottom to top; a room may import its own modules and any room of a lower rank.
RANK = {"core": 0, "cache": 1, "content": 2, "search": 3, "checks": 3, "site": 4,
        "pipeline": 5, "admin": 5, "preview": 6, "scaffold": 6, "publish": 6, "cli": 7, "__main__": 8, "__init__": 8}


def modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts.pop()
        out[".".join(parts)] = path
    return out


def _loaded(module: str, node: ast.Import | ast.ImportFrom, is_package: bool, known) -> list[str]:
    """The gxsite modules an import statement loads."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name.split(".")[0] == "gxsite"]
    if node.level:
        base = module.split(".")
        base = base[: len(base) - node.level + (1 if is_package else 0)]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    if source.split(".")[0] != "gxsite":
        return []
    # `from gxsite.x import y` loads gxsite.x, and gxsite.x.y too when y is a module
    return [source] + [f"{source}.{a.name}" for a in node.names if f"{source}.{a.name}" in known]


def imports(module_level_only: bool) -> dict[str, set[str]]:
    """Module → the gxsite modules it imports: at module level (what runs on import), or anywhere."""
    known = modules()
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes: list = []

        def collect(body):
            for node in body:
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    nodes.append(node)
                elif isinstance(node, ast.If) and "TYPE_CHECKING" not in ast.unparse(node.test):
                    collect(node.body)
                    collect(node.orelse)
                elif isinstance(node, ast.Try):
                    collect(node.body)
        if module_level_only:
            collect(tree.body)
        else:
            nodes = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
        targets = set()
        for node in nodes:
            targets.update(_loaded(name, node, path.name == "__init__.py", known))
        graph[name] = {t for t in targets if t in known and t != name}
    return graph


def room(module: str) -> str:
    return module.split(".")[1] if "." in module else "__init__"


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}   # 1: on the current path, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None
    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_package_has_rooms_and_a_short_top_level():
    top = list(PACKAGE.glob("*.py"))
    rooms = [p for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()]
    assert len(top) <= 12, sorted(p.name for p in top)
    assert len(rooms) >= 4
    assert {room(m) for m in modules()} <= set(RANK), "a room missing from RANK: place it in the layering"
    for folder in rooms:
        doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8")))
        assert doc, f"{folder.name}/__init__.py should say in one line what the room holds"


def test_no_module_level_import_cycle():
    cycle = find_cycle(imports(module_level_only=True))
    assert cycle is None, "import cycle: " + " → ".join(cycle)


def test_imports_point_down_only():
    upward = []
    for module, targets in imports(module_level_only=False).items():
        for target in targets:
            a, b = room(module), room(target)
            if b == "__init__" or a == b:
                continue
            if RANK[b] >= RANK[a]:
                upward.append(f"{module} → {target}")
    assert not upward, "imports that run up or sideways: " + "; ".join(sorted(upward))


def test_content_knows_nothing_of_the_site():
    for module, targets in imports(module_level_only=False).items():
        if room(module) == "content":
            assert not {room(t) for t in targets} & {"site", "search", "checks", "preview", "pipeline", "cli"}, module


def test_the_walk_sees_a_cycle_and_an_upward_import(tmp_path, monkeypatch):
    """The checks above can fail: a planted cycle and a planted upward import are found."""
    pkg = tmp_path / "gxsite"
    for folder in ("core", "content"):
        (pkg / folder).mkdir(parents=True)
        (pkg / folder / "__init__.py").write_text(f'"""{folder}"""\n')
    (pkg / "__init__.py").write_text("")
    (pkg / "core" / "a.py").write_text("from gxsite.core import b\n")
    (pkg / "core" / "b.py").write_text("from . import a\n\ndef f():\n    from gxsite.content import c\n")
    (pkg / "content" / "c.py").write_text("")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", pkg)
    assert imports(module_level_only=True)["gxsite.core.b"] == {"gxsite.core", "gxsite.core.a"}
    assert find_cycle(imports(module_level_only=True)) == ["gxsite.core.a", "gxsite.core.b", "gxsite.core.a"]
    assert "gxsite.content.c" in imports(module_level_only=False)["gxsite.core.b"]
    try:
        test_imports_point_down_only()
    except AssertionError as exc:
        assert "gxsite.core.b → gxsite.content.c" in str(exc)
    else:
        raise AssertionError("the upward import was not found")
