"""What every insight declares it reads (`@reads`), gathered for `registry.check()` - the gateway is
the layer that knows both the insights and the registry, so the schemas never import the insights (it
also finds the programmes' page files)."""
from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import insights
from schemas.registry import Problem, site

ROOT = Path(__file__).resolve().parent.parent  # where the page files of the registry live


def insight_reads() -> dict[str, tuple[str, ...]]:
    """"insights.<module>.<function>" -> the tabs it declares, for every declared insight."""
    found: dict[str, tuple[str, ...]] = {}
    for info in pkgutil.iter_modules(insights.__path__):
        module = importlib.import_module(f"insights.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and hasattr(fn, "tabs"):
                found[f"{module.__name__}.{name}"] = tuple(fn.tabs)
    return found


def registry_problems() -> list[Problem]:
    """registry.check() with the insights' declarations and the page files: empty when the app may start."""
    return site.check(reads=insight_reads(), root=ROOT)
