"""The layout rules the code relies on, checked by reading the code (no build runs):

- one writer: no module outside the generator/write/ package writes, links, renames or deletes a file;
- the modules import each other without a cycle, so each can be read (and loaded) on its own;
- no module grows past the size where a seam should have been cut.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "generator"
WRITER = PACKAGE / "write"  # the writer package

# Calls that change the file system, by the module they are called on ...
MODULE_CALLS = {
    "os": {"remove", "unlink", "rename", "renames", "replace", "link", "symlink", "rmdir", "removedirs", "mkdir",
           "makedirs", "open", "fdopen", "truncate", "chmod", "utime", "mkfifo", "mknod"},
    "shutil": {"rmtree", "move", "copy", "copy2", "copyfile", "copytree", "copyfileobj", "make_archive"},
    "tempfile": {"mkstemp", "mkdtemp", "NamedTemporaryFile", "TemporaryFile"},
    "pickle": {"dump"},
}
# ... and path methods no other object has.
PATH_METHODS = {"write_text", "write_bytes", "unlink", "rename", "mkdir", "rmdir", "touch", "symlink_to",
                "hardlink_to", "chmod", "lchmod"}
WRITE_MODES = set("wax+")
MAX_LINES = 650  # ~600, as the layout asks: past it a module has two jobs


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "_themes" not in p.parts)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def file_changes(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, call) of every call in `tree` that writes, links, renames or deletes a file."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute):
            owner = func.value.id if isinstance(func.value, ast.Name) else None
            if owner in MODULE_CALLS and func.attr in MODULE_CALLS[owner]:
                found.append((node.lineno, f"{owner}.{func.attr}"))
            elif owner not in MODULE_CALLS and func.attr in PATH_METHODS:
                found.append((node.lineno, f".{func.attr}()"))
            elif func.attr == "open" and _write_mode(node, position=0):
                found.append((node.lineno, ".open() for writing"))
        elif isinstance(func, ast.Name) and func.id == "open" and _write_mode(node, position=1):
            found.append((node.lineno, "open() for writing"))
    return found


def _write_mode(call: ast.Call, position: int) -> bool:
    mode = next((k.value for k in call.keywords if k.arg == "mode"), None)
    if mode is None and len(call.args) > position:
        mode = call.args[position]
    return isinstance(mode, ast.Constant) and isinstance(mode.value, str) and bool(WRITE_MODES & set(mode.value))


def test_only_the_writer_changes_files():
    offenders = [f"{path.relative_to(PACKAGE.parent)}:{line}: {call}"
                 for path in modules() if WRITER not in path.parents
                 for line, call in file_changes(ast.parse(path.read_text(encoding="utf-8")))]
    assert offenders == [], "file changes outside generator/write/:\n" + "\n".join(offenders)


@pytest.mark.parametrize("source, expected", [
    ("Path('x').write_text('y')", [".write_text()"]),
    ("os.replace(a, b)", ["os.replace"]),
    ("shutil.rmtree(d)", ["shutil.rmtree"]),
    ("open(p, 'wb')", ["open() for writing"]),
    ("open(p, mode='a')", ["open() for writing"]),
    ("p.open('x')", [".open() for writing"]),
    ("pickle.dump(o, f)", ["pickle.dump"]),
    ("open(p)", []), ("open(p, 'rb')", []), ("text.replace('a', 'b')", []), ("items.remove(x)", []),
])
def test_the_detector_sees_what_it_must(source, expected):
    """The detector is only a guard if it finds these (and not str.replace or list.remove)."""
    assert [call for _, call in file_changes(ast.parse(source))] == expected


def import_graph() -> dict[str, set[str]]:
    """Module -> the generator modules it imports (at any level, lazy imports included)."""
    names = {module_name(p) for p in modules()}
    graph: dict[str, set[str]] = {}
    for path in modules():
        me = module_name(path)
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            for target in targets:
                while target and target not in names:
                    target = target.rpartition(".")[0]
                if target and target != me and not me.startswith(target + "."):
                    edges.add(target)
        graph[me] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_import_cycle():
    """A package's own __init__ re-exporting its modules is not a cycle (a module importing
    its parent package is skipped above); anything else is."""
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_cycles():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_is_too_long():
    long = {str(p.relative_to(PACKAGE.parent)): n for p in modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
