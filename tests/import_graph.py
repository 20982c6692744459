"""The import graph of the project's own modules, read with `ast` (nothing is imported or run).

Every import counts: module level, inside a function, under `if TYPE_CHECKING:` - an import moved
into a function to dodge a cycle is still a cycle. Used by tests/test_layers.py.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGES = ("pages", "ui", "reports", "gateway", "insights", "schemas", "connectors", "commands", "data")
SCRIPTS = ("app.py", "cli.py")

# Which layer may import which (besides itself). app.py and cli.py sit on top and may import anything.
# A page or the pack may import an insight to name the figure it asks the gateway for (a real object, not a name
# in a string), never to run it: `figures_run_outside_the_gateway` finds a call.
ALLOWED = {
    "pages": {"ui", "reports", "gateway", "insights", "schemas", "connectors"},  # connectors narrowed below
    "ui": {"gateway", "connectors", "insights", "schemas"},
    "reports": {"gateway", "insights", "schemas"},  # the donor pack: its figures through the gateway
    "gateway": {"insights", "connectors", "schemas"},
    "insights": {"schemas"},
    "connectors": {"schemas"},
    "schemas": set(),
    "commands": {"ui", "reports", "gateway", "insights", "schemas", "connectors", "data"},
    "data": {"schemas"},
}


def modules(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for the scripts and every module of the packages."""
    found = {name[:-3]: root / name for name in SCRIPTS if (root / name).exists()}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imports(root: Path) -> dict[str, set[str]]:
    """Module -> the project modules it imports (anywhere in its text)."""
    known = modules(root)

    def resolve(name: str) -> str | None:
        while name:
            if name in known:
                return name
            name = name.rpartition(".")[0]
        return None

    graph: dict[str, set[str]] = {}
    for module, path in known.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                targets.update(t for t in (resolve(a.name) for a in node.names) if t)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(parts + ([base] if base else []))
                for alias in node.names:
                    full = f"{base}.{alias.name}" if base else alias.name
                    target = full if full in known else resolve(base)
                    if target:
                        targets.add(target)
        targets.discard(module)
        graph[module] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def upward(graph: dict[str, set[str]]) -> list[str]:
    """Edges against the layer order, as "a -> b"."""
    wrong = []
    for source in sorted(graph):
        layer = source.split(".")[0]
        if layer not in ALLOWED:
            continue
        for target in sorted(graph[source]):
            target_layer = target.split(".")[0]
            if target_layer == layer:
                continue
            page_to_connector = layer == "pages" and target_layer == "connectors" and not target.startswith("connectors.sync")
            if target_layer not in ALLOWED[layer] or page_to_connector:
                wrong.append(f"{source} -> {target}")
    return wrong


def third_party(root: Path, package: str, name: str) -> list[str]:
    """Modules of `package` that import `name` (e.g. streamlit) anywhere in their text."""
    hits = []
    for module, path in modules(root).items():
        if module.split(".")[0] != package:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            if any(n == name or n.startswith(name + ".") for n in names):
                hits.append(module)
                break
    return hits


def figures_run_outside_the_gateway(root: Path, packages: tuple[str, ...]) -> list[str]:
    """Calls, in the modules of `packages`, of an insight that reads the cache (one `@reads` declares: it has
    `tabs`) - "module line N: insights.x.f". Such a figure is run by the gateway only (gateway.figures.figure,
    through ui.state.query on a page), which checks the role, masks personal data and hides small counts; a
    page or the pack that called it itself would skip all of that. Each imported name is resolved to the object
    it stands for, so a figure imported under another name, or called through its module, is found too."""
    import importlib

    found = []
    for module, path in modules(root).items():
        if module.split(".")[0] not in packages:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        bound: dict[str, object] = {}  # local name -> the insights module or function it stands for
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and not node.level and (node.module or "").split(".")[0] == "insights":
                for alias in node.names:
                    try:
                        bound[alias.asname or alias.name] = importlib.import_module(f"{node.module}.{alias.name}")
                    except ModuleNotFoundError:
                        bound[alias.asname or alias.name] = getattr(importlib.import_module(node.module), alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "insights" and alias.asname:
                        bound[alias.asname] = importlib.import_module(alias.name)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            called = None
            if isinstance(node.func, ast.Name):
                called = bound.get(node.func.id)
            elif isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name) and node.func.value.id in bound:
                called = getattr(bound[node.func.value.id], node.func.attr, None)
            if callable(called) and getattr(called, "tabs", None) is not None:
                found.append(f"{module} line {node.lineno}: {called.__module__}.{called.__name__}")
    return found
