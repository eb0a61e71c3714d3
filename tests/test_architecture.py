"""The package's shape: imports run one way through the pipeline's stages, no module imports itself back through
others, and the heavy libraries load only where they are used."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import ROOT

PACKAGE = ROOT / "sitegen"

LAYERS = [
    {"sitegen", "sitegen.errors", "sitegen.text", "sitegen.progress", "sitegen.parallel", "sitegen.markdown",
     "sitegen.markdown_rs", "sitegen.filelock"},
    {"sitegen.sources"},
    {"sitegen.site"},
    {"sitegen.migrate"},
    {"sitegen.render"},
    {"sitegen.incremental"},
    {"sitegen.output"},
    {"sitegen.build"},
    {"sitegen.preview"},
    {"sitegen.scaffold"},
    {"sitegen.inbox"},
    {"sitegen.commands"},
    {"sitegen.cli", "sitegen.__main__"},
]
"""Lowest first: a module may import from its own layer and the ones below it, never from one above."""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every sitegen module `path` imports, at the top or inside a function (a lazy import is an arrow too)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "sitegen")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.split(".")[0] != "sitegen":
                continue
            found.add(target)
            for alias in node.names:  # `from . import report` names a module or a name in one
                candidate = f"{target}.{alias.name}"
                if (PACKAGE.parent / (candidate.replace(".", "/") + ".py")).exists():
                    found.add(candidate)
    found.discard(name)
    return found


def graph() -> dict[str, set[str]]:
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    return {name: {target for target in imports_of(path) if target in modules} for name, path in modules.items()}


def layer_of(module: str) -> int:
    for number, layer in enumerate(LAYERS):
        if module in layer or any(module.startswith(prefix + ".") for prefix in layer if prefix != "sitegen"):
            return number
    raise AssertionError(f"{module} belongs to no layer: add it to LAYERS")


def test_every_module_belongs_to_a_layer() -> None:
    for module in graph():
        layer_of(module)


def test_imports_run_one_way() -> None:
    wrong = sorted(f"{module} imports {target}" for module, targets in graph().items() for target in targets
                   if layer_of(target) > layer_of(module))
    assert wrong == []


def test_no_module_imports_itself_back() -> None:
    edges = graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(edges[module]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target):], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_the_import_reader_sees_every_kind_of_import() -> None:
    """The import reader finds relative, absolute and function-level imports (else the tests above prove little)."""
    module = PACKAGE / "site" / "model.py"
    found = imports_of(module)
    assert "sitegen.sources.replies" in found and "sitegen.markdown" in found
    lazy = imports_of(PACKAGE / "render" / "plan.py")
    assert "sitegen.render.feedxml" in lazy  # imported inside a function
    assert layer_of("sitegen.render.plan") > layer_of("sitegen.site.model")
    assert layer_of("sitegen.site.model") < layer_of("sitegen.render.feeds")


@pytest.mark.parametrize("code, absent", [
    ("import sitegen.cli", {"jinja2", "markdown_it", "pygments", "feedgen", "lxml", "nh3", "babel", "yaml"}),
    ("import sitegen.commands.build", {"markdown_it", "pygments.lexers", "feedgen", "lxml", "nh3", "jinja2",
                                      "importlib.metadata", "multiprocessing", "concurrent.futures"}),
])
def test_heavy_libraries_load_only_where_they_are_used(code: str, absent: set[str]) -> None:
    script = f"import sys\n{code}\nprint('\\n'.join(sorted(sys.modules)))"
    loaded = set(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                                cwd=ROOT).stdout.split())
    assert loaded & absent == set()


def test_a_rebuild_with_nothing_to_render_loads_neither_jinja_nor_the_worker_machinery(tmp_path: Path) -> None:
    """What a no-change build of a site without code loads: not Jinja (no page to render), not the process pool
    (nothing to parse or render), not importlib.metadata (versions read from dist-info names), and not the Markdown
    parser or the sanitizer for its replies (their HTML is made when a page shows them)."""
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "sitegen.yaml").write_text("title: t\nbase_url: https://example.org/\n")
    (site / "content" / "posts" / "a.md").write_text("---\ntitle: a\ndate: 2025-01-01\n---\nText.\n")
    (site / "content" / "replies" / "a").mkdir(parents=True)
    (site / "content" / "replies" / "a" / "r.md").write_text("---\nname: R\ndate: 2025-01-02\n---\n**Thanks**\n")
    script = ("import sys\nfrom sitegen.cli import main\nmain(['build', '--source', sys.argv[1]])\n"
              "print('\\n'.join(sorted(sys.modules)))")

    def build() -> str:
        return subprocess.run([sys.executable, "-c", script, str(site)], capture_output=True, text=True, check=True,
                              cwd=ROOT).stdout

    assert "jinja2" in build().split()  # the cold build renders
    again = build()  # nothing changed
    loaded = set(again.split())
    assert "unchanged pages carried over" in again
    assert loaded & {"jinja2", "multiprocessing", "concurrent.futures", "importlib.metadata", "markdown_it",
                     "nh3"} == set()
