"""No dead code: every module-level function and class of the app is used somewhere outside its definition.

A definition counts as used when its name occurs in any other place of the repository's Python code (outside
the tests: a function only a test calls is not used by the app, so the test pins dead code), as a name or in
a string (getattr, st.navigation's page files), comments and `__all__` lists left out. Found another way too:
- registered by a decorator (a cross-tab rule, a pandera check, an Altair theme): the decorator is its use;
- named by a string built with an f-string (`f"insights.overview.{name}_part"`): the f-string's pattern
  matches the definition's dotted path.
Pages are run by Streamlit, not imported: a page's module-level functions are used by the page itself.
"""
from __future__ import annotations

import ast
import io
import re
import tokenize
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OWN = ("app.py", "cli.py", "pages", "schemas", "connectors", "insights", "gateway", "ui", "reports", "commands", "data")
# Decorators that wrap a function without registering it anywhere: the decorated function still needs a caller.
WRAPPING = {"cache", "lru_cache", "cache_data", "cache_resource", "dataclass", "contextmanager", "total_ordering", "fragment"}
# Genuine entry points, called by something that is not Python code in this repository.
ENTRY_POINTS: dict[str, str] = {}


def _sources() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.py") if not {".venv", "tests"} & set(p.relative_to(ROOT).parts))


def _own(path: Path) -> bool:
    return path.relative_to(ROOT).parts[0] in OWN


def _dotted(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _exports(tree: ast.Module) -> set[int]:
    """The lines of `__all__ = [...]`: a name listed there is not a use of it."""
    lines: set[int] = set()
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
                lines |= set(range(node.lineno, (node.end_lineno or node.lineno) + 1))
    return lines


def _words(text: str, tree: ast.Module) -> Counter:
    skipped, words = _exports(tree), Counter()
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.start[0] in skipped or token.type == tokenize.COMMENT:
            continue
        if token.type == tokenize.NAME:
            words[token.string] += 1
        elif token.type in (tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", -1)):
            words.update(re.findall(r"\w+", token.string))
    return words


def _patterns(tree: ast.Module) -> list[re.Pattern]:
    """Each f-string as a pattern of the names it can build (only those with a word of their own)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            literal = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if len(re.sub(r"\W", "", literal)) >= 3:
                found.append(re.compile("".join(re.escape(v.value) if isinstance(v, ast.Constant) else r"\w+" for v in node.values)))
    return found


def _registered(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name not in WRAPPING:
            return True
    return False


def unused_definitions() -> list[str]:
    words: Counter = Counter()
    patterns: list[re.Pattern] = []
    definitions: list[tuple[str, str, ast.AST]] = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        words += _words(text, tree)
        patterns += _patterns(tree)
        if _own(path):
            definitions += [(_dotted(path), node.name, node) for node in tree.body
                            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    unused = []
    for module, name, node in definitions:
        if words[name] > 1 or _registered(node) or f"{module}.{name}" in ENTRY_POINTS:
            continue
        if any(p.fullmatch(f"{module}.{name}") for p in patterns):
            continue
        unused.append(f"{module}.{name} (line {node.lineno})")
    return unused


def test_every_function_and_class_is_used_outside_the_tests():
    assert unused_definitions() == []


def test_the_check_finds_an_unused_function(tmp_path, monkeypatch):
    """The check itself can fail: a function nothing calls, in a copy of one of our packages, is reported."""
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "lonely.py").write_text("def never_called():\n    return 1\n\n\n@rule\ndef registered():\n    return 2\n")
    (tmp_path / "schemas" / "built.py").write_text("def wash_part():\n    return 3\n\n\nPART = f'schemas.built.{\"wash\"}_part'\n")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert unused_definitions() == ["schemas.lonely.never_called (line 1)"]
