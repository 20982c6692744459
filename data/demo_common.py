"""Shared helpers of the demo-workbook builder: seeded randomness, typed frames, dates, names.

Every programme module draws from its own generator (`rng_for("clinic")`), so changing one
programme's generator never shifts another programme's numbers.
"""
from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import zlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from schemas.registry import tab

SEED = 20171231  # the report's year end; any fixed number would do
FIRST_DAY = dt.date(2015, 1, 1)
LAST_DAY = dt.date(2018, 12, 31)
YEARS = (2015, 2016, 2017, 2018)

_DTYPES = {"text": "string", "int": "Int64", "float": "Float64", "bool": "boolean"}


def rng_for(name: str) -> np.random.Generator:
    """A generator of its own per programme; crc32 (not hash()) so it is stable across runs."""
    return np.random.default_rng([SEED, zlib.crc32(name.encode())])


def typed_frame(tab_name: str, data: dict[str, Sequence[Any]] | None = None) -> pd.DataFrame:
    """A frame with exactly the tab's columns, in schema order, in the schema's dtypes.

    Columns missing from `data` are all blank; `None` / NaN / NaT in a column become <NA>.
    """
    data = data or {}
    specs = tab(tab_name).columns
    unknown = set(data) - {s.name for s in specs}
    if unknown:
        raise KeyError(f"{tab_name}: no columns {sorted(unknown)}")
    lengths = {len(v) for v in data.values()}
    if len(lengths) > 1:
        raise ValueError(f"{tab_name}: columns of different lengths {sorted(lengths)}")
    n = lengths.pop() if lengths else 0
    out: dict[str, Any] = {}
    for spec in specs:
        values = data.get(spec.name, [None] * n)
        if spec.kind == "date":
            out[spec.name] = pd.to_datetime(pd.Series(values, dtype=object) if n == 0 else values).astype("datetime64[ns]")
        else:
            out[spec.name] = pd.array(list(values) if not isinstance(values, np.ndarray) else values, dtype=_DTYPES[spec.kind])
    return pd.DataFrame(out, index=pd.RangeIndex(n))


def numbered(prefix: str, n: int, width: int, start: int = 1) -> list[str]:
    return [f"{prefix}{i:0{width}d}" for i in range(start, start + n)]


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day of month `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def random_day(rng: np.random.Generator, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=int(rng.integers(0, (last - first).days + 1)))


def pick(rng: np.random.Generator, items: Sequence[Any], p: Sequence[float] | None = None) -> Any:
    return items[int(rng.choice(len(items), p=p))]


def sorted_records(records: Iterable[dict[str, Any]], *keys: str) -> list[dict[str, Any]]:
    """Records in chronological order; `sorted` is stable, so ties keep their creation order."""
    return sorted(records, key=lambda r: tuple(r[k] for k in keys))


# Invented Khmer-style names: family name first, as Cambodians write them.
FAMILY_NAMES = [
    "Sok", "Chan", "Kim", "Heng", "Meas", "Keo", "Prak", "Chea", "Sam", "Ouk", "Yim", "Long",
    "Touch", "Nhem", "Pich", "Mao", "Ros", "Hang", "Seng", "Sar", "Phan", "Chhim", "Lim", "Sun",
    "Nget", "Kong", "Tep", "Vong", "Sin", "Em", "Noun", "Srun", "Khiev", "Chhun", "Hem", "Nuon",
]
FEMALE_NAMES = [
    "Sreymom", "Sophea", "Channary", "Bopha", "Kunthea", "Sokha", "Leakhena", "Sreyneang",
    "Chantha", "Rachana", "Phalla", "Sreyleak", "Thida", "Malis", "Kolab", "Pisey", "Sopheap",
    "Vanna", "Chenda", "Sreypov", "Navy", "Raksmey", "Sothea", "Kanha", "Mealea", "Sokunthea",
]
MALE_NAMES = [
    "Sokhom", "Vuthy", "Sambath", "Rithy", "Sovann", "Piseth", "Chanthou", "Bunthoeun",
    "Samnang", "Veasna", "Kosal", "Phirun", "Sarun", "Vibol", "Makara", "Sopheak", "Narith",
    "Chhay", "Visal", "Rotha", "Dara", "Sokun", "Vannak", "Pheakdey", "Bunna", "Sothy",
]


def person_name(rng: np.random.Generator, sex: str) -> str:
    given = FEMALE_NAMES if sex == "female" else MALE_NAMES
    return f"{pick(rng, FAMILY_NAMES)} {pick(rng, given)}"


Builder = Callable[["DemoBook"], dict[str, pd.DataFrame]]
_builders: dict[str, Builder] = {}


def demo_builder(programme: str) -> Callable[[Builder], Builder]:
    """Registers a programme's demo builder (book -> {tab: frame}), used while the programme is registered (a
    builder registered again replaces the one before); in data/demo_<programme>.py, as

        @demo_builder("rice_bank")
        def demo(book): ...
    """
    def register(builder: Builder) -> Builder:
        _builders[programme] = builder
        return builder
    return register


def demo_builders() -> dict[str, Builder]:
    """Every registered builder: each `data/demo_*.py` module is imported once first, so it has registered its own."""
    package = importlib.import_module(__name__.rpartition(".")[0])
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("demo_"):
            importlib.import_module(f"{package.__name__}.{info.name}")
    return dict(_builders)


class DemoBook:
    """The demo's frames as the programmes' builders make them (each programme registers its builder:
    `demo_builder`). A builder asks the book for another programme's tab
    (`book.frame("savings_groups")`) and gets it built on demand, once; objects several builders share
    (the gazetteer, the household register) live in `book.shared`."""

    def __init__(self, builders: dict[str, Callable[[DemoBook], dict[str, pd.DataFrame]]], owners: dict[str, str],
                 scale: int = 1) -> None:
        self.scale = scale
        self._builders = builders  # programme -> its builder
        self._owners = owners  # tab -> its programme
        self._built: dict[str, dict[str, pd.DataFrame]] = {}
        self._building: list[str] = []
        self._shared: dict[str, Any] = {}

    def shared(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self._shared:
            self._shared[key] = make()
        return self._shared[key]

    def programme(self, name: str) -> dict[str, pd.DataFrame]:
        """The frames of this programme's builder, built now if not yet."""
        if name not in self._built:
            if name in self._building:
                raise RecursionError(f"demo builders wait on each other: {' -> '.join([*self._building, name])}")
            self._building.append(name)
            try:
                self._built[name] = self._builders[name](self)
            finally:
                self._building.pop()
        return self._built[name]

    def frame(self, tab_name: str) -> pd.DataFrame:
        return self.programme(self._owners[tab_name])[tab_name]

    def all_frames(self) -> dict[str, pd.DataFrame]:
        """Every builder's frames (programme order for those not built on demand already)."""
        for name in self._builders:
            self.programme(name)
        return {tab: frame for frames in self._built.values() for tab, frame in frames.items()}
