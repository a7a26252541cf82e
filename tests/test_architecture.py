"""The shape of the code: imports point down the flow, no cycles, extraction free of Scrapy, one owner of the state.

The flow is discover → fetch → extract → enrich → dedup → write. Each folder of ``crawler/`` is one
stage or one shared part, and the ``LAYERS`` below order them: a module may import its own folder and
folders of lower layers only, so every arrow between folders points one way.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("crawler", "pipelines")

# Lowest first. page/ is what both fetch and extract read of a page; the plain modules at the top of
# crawler/ (settings, config, items, drops, dates, urls, stats) are the shared vocabulary of every stage.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"crawler.page"}),
    frozenset({"crawler"}),
    frozenset({"crawler.discover", "crawler.extract", "crawler.dedup", "crawler.output", "crawler.demo"}),
    frozenset({"crawler.store"}),
    frozenset({"crawler.run"}),
    frozenset({"crawler.fetch"}),
    frozenset({"crawler.spiders", "pipelines"}),
    frozenset({"crawler.commands"}),
    frozenset({"crawler.api"}),
)
# Folders whose code is plain functions over HTML: a pipeline, a command, a benchmark and a test call them.
NO_SCRAPY = ("crawler.extract", "crawler.page")
# Only these open, read and write the crawl state; everyone else tells the run's ledger.
STATE_OWNERS = ("crawler.store", "crawler.run")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")}


def imports(name: str, *, runtime_only: bool = False) -> set[str]:
    """The project modules ``name`` imports (``from a import b`` counts ``a.b`` when that is a module)."""
    tree = ast.parse(MODULES[name].read_text("utf-8"))
    type_only: set[int] = set()
    if runtime_only:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                type_only.update(id(child) for child in ast.walk(node))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {target for target in found if target in MODULES and target != name}


def folder(name: str) -> str:
    """The folder (``crawler.extract``) or top-level group (``crawler``, ``pipelines``) of a module."""
    parts = name.split(".")
    if parts[0] == "pipelines":
        return "pipelines"
    if name in MODULES and MODULES[name].name == "__init__.py" and len(parts) > 1:
        return name
    if len(parts) > 2 or (len(parts) == 2 and (ROOT / "crawler" / parts[1]).is_dir()):
        return ".".join(parts[:2])
    return "crawler"


def layer(name: str) -> int:
    group = folder(name)
    return next(index for index, members in enumerate(LAYERS) if group in members)


def test_every_folder_has_a_layer() -> None:
    for name in MODULES:
        assert any(folder(name) in members for members in LAYERS), f"{name} ({folder(name)}) has no layer"


def test_imports_point_down_the_layers() -> None:
    upward = [
        f"{name} ({folder(name)}) imports {target} ({folder(target)})"
        for name in sorted(MODULES)
        for target in sorted(imports(name))
        if folder(target) != folder(name) and layer(target) >= layer(name)
    ]
    assert not upward, "\n".join(upward)


def test_no_import_cycles() -> None:
    graph = {name: imports(name) for name in MODULES}
    cycles = [component for component in strongly_connected(graph) if len(component) > 1]
    assert not cycles, cycles


@pytest.mark.parametrize("package", NO_SCRAPY)
def test_extraction_imports_no_scrapy_or_twisted(package: str) -> None:
    for name, path in MODULES.items():
        if folder(name) != package:
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            targets = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not any(t.split(".")[0] in {"scrapy", "twisted"} for t in targets), f"{name}: {targets}"


def test_only_the_run_and_the_store_touch_the_crawl_state() -> None:
    touching = [
        f"{name} imports {target}"
        for name in sorted(MODULES)
        if not name.startswith(STATE_OWNERS)
        for target in sorted(imports(name, runtime_only=True))
        if target.startswith("crawler.store")
    ]
    assert not touching, "\n".join(touching)


def test_the_checks_see_real_edges() -> None:
    """The walk finds known imports, so the tests above cannot pass on an empty graph."""
    assert "crawler.run.context" in imports("crawler.spiders.news")
    assert "crawler.store.protocols" in imports("crawler.store.sqlite_state")
    assert layer("crawler.fetch.decode") > layer("crawler.run.context") > layer("crawler.store.sqlite_state")


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of a directed graph."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            components.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


# Stats the project sets itself live under one prefix (``crawler.stats``); ``scheduler/…`` extends Scrapy's own.
STAT_METHODS = {"inc_value", "set_value", "max_value", "min_value"}
STAT_PREFIXES = ("newscrawl/", "scheduler/")


def literal_start(node: ast.expr) -> str | None:
    """The leading literal text of a string or f-string expression, if any."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return str(node.values[0].value)
    return None


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_stat_the_project_sets_has_its_prefix(name: str) -> None:
    for node in ast.walk(ast.parse(MODULES[name].read_text("utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in STAT_METHODS
        ):
            key = node.args[0] if node.args else None
            start = literal_start(key) if key is not None else None
            assert start is None or start.startswith(STAT_PREFIXES), f"{name}: stat {ast.unparse(node)}"
