"""Cell values for the local Sheets server: how input is taken in and how values are rendered.

Google keeps a value per cell (number, text, boolean), sometimes a formula and a number format.
`RAW` input stores what it is given; `USER_ENTERED` parses it as if typed (numbers, ISO dates,
TRUE/FALSE, simple arithmetic formulas). Rendering follows valueRenderOption and
dateTimeRenderOption. Dates are serial numbers: days since 1899-12-30.
"""
from __future__ import annotations

import ast
import datetime as dt
import functools
import operator
import re
from typing import Any

EPOCH = dt.datetime(1899, 12, 30)
DATE_TYPES = {"DATE", "DATE_TIME", "TIME"}
ISO_DATE_FORMAT = {"type": "DATE", "pattern": "yyyy-mm-dd"}
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def number(value: float | int) -> float | int:
    """Whole floats become ints: Google's JSON writes 2, not 2.0."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def to_serial(value: dt.date | dt.datetime) -> float | int:
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    delta = value - EPOCH
    return number(delta.days + delta.seconds / 86400)


def from_serial(serial: float) -> dt.datetime:
    return EPOCH + dt.timedelta(days=float(serial))


def python_value(value: Any) -> tuple[Any, dict | None]:
    """A Python value loaded into the server (tests, xlsx): (cell value, number format or None)."""
    if value is None:
        return "", None
    if isinstance(value, bool):
        return value, None
    if isinstance(value, dict) and "date" in value:  # JSON has no dates: {"date": "2024-03-01"} over HTTP
        value = dt.datetime.fromisoformat(value["date"])
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, (dt.date, dt.datetime)):
        kind = "DATE_TIME" if isinstance(value, dt.datetime) and value.time() != dt.time() else "DATE"
        pattern = "yyyy-mm-dd hh:mm:ss" if kind == "DATE_TIME" else "yyyy-mm-dd"
        return to_serial(value), {"type": kind, "pattern": pattern}
    if isinstance(value, (int, float)):
        return number(value), None
    return str(value), None


def _evaluate(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _ARITHMETIC:
        return _ARITHMETIC[type(node.op)](_evaluate(node.left), _evaluate(node.right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = _evaluate(node.operand)
        return -value if isinstance(node.op, ast.USub) else value
    raise ValueError("not arithmetic")


def formula_value(formula: str) -> Any:
    """Arithmetic formulas are computed (=4/2 -> 2); anything else shows Google's #NAME? error."""
    try:
        return number(_evaluate(ast.parse(formula[1:], mode="eval").body))
    except (SyntaxError, ValueError, ZeroDivisionError, TypeError, RecursionError):
        return "#NAME?"


def user_entered(value: Any) -> tuple[Any, str | None, dict | None]:
    """USER_ENTERED input: (value, formula or None, number format or None)."""
    if not isinstance(value, str):
        return python_value(value)[0], None, None
    text = value
    if text.startswith("'"):
        return text[1:], None, None  # a leading apostrophe forces text, as typed in the sheet
    if text.startswith("=") and len(text) > 1:
        return formula_value(text), text, None
    stripped = text.strip()
    if _NUMBER.match(stripped):
        return number(float(stripped)) if any(c in stripped for c in ".eE") else int(stripped), None, None
    if stripped.upper() in ("TRUE", "FALSE"):
        return stripped.upper() == "TRUE", None, None
    match = _ISO_DATE.match(stripped)
    if match:
        try:
            return to_serial(dt.date(*map(int, match.groups()))), None, dict(ISO_DATE_FORMAT)
        except ValueError:
            pass
    return text, None, None


def raw(value: Any) -> Any:
    """RAW input: stored as given; text that starts with = stays text."""
    if value is None:
        return ""
    if isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return number(value)
    return str(value)


def format_date(serial: float, fmt: dict) -> str:
    return _format_date(serial, fmt.get("type", "DATE"), fmt.get("pattern", ""))


@functools.lru_cache(maxsize=65536)  # dates repeat a lot in a sheet: format each once
def _format_date(serial: float, kind: str, pattern: str) -> str:
    moment = from_serial(serial)
    pattern = pattern or ("M/d/yyyy H:mm:ss" if kind == "DATE_TIME" else "M/d/yyyy")
    if kind == "TIME" and not pattern:
        pattern = "h:mm:ss am/pm"
    # Minutes are "mm" right after hours; elsewhere "mm" is the month.
    pattern = re.sub(r"(h+:)mm", r"\1%MIN%", pattern, flags=re.I)
    tokens = {
        "yyyy": f"{moment.year:04d}", "yy": f"{moment.year % 100:02d}",
        "mm": f"{moment.month:02d}", "m": str(moment.month), "MM": f"{moment.month:02d}", "M": str(moment.month),
        "dd": f"{moment.day:02d}", "d": str(moment.day),
        "HH": f"{moment.hour:02d}", "hh": f"{moment.hour:02d}", "H": str(moment.hour), "h": str(moment.hour),
        "ss": f"{moment.second:02d}",
    }
    text = re.sub(r"yyyy|yy|MM|mm|M|m|dd|d|HH|hh|H|h|ss", lambda m: tokens[m.group(0)], pattern)
    return text.replace("%MIN%", f"{moment.minute:02d}").replace("am/pm", "AM" if moment.hour < 12 else "PM")


def format_number(value: float | int, fmt: dict | None) -> str:
    pattern = (fmt or {}).get("pattern", "")
    if fmt and fmt.get("type") == "TEXT":
        return str(value)
    if pattern in ("0", "#,##0"):
        return f"{value:,.0f}" if "," in pattern else f"{value:.0f}"
    if re.fullmatch(r"#?,?#*0\.0+", pattern):
        decimals = len(pattern.split(".")[1])
        return f"{value:,.{decimals}f}" if "," in pattern else f"{value:.{decimals}f}"
    if isinstance(value, int):
        return str(value)
    return f"{value:.10g}".replace("e+", "E+").replace("e-", "E-")


def render(value: Any, fmt: dict | None, value_option: str, date_option: str) -> Any:
    """One stored value as valueRenderOption / dateTimeRenderOption show it (formulas handled by the caller)."""
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE") if value_option == "FORMATTED_VALUE" else value
    if isinstance(value, (int, float)):
        if fmt and fmt.get("type") in DATE_TYPES:
            if value_option == "FORMATTED_VALUE" or date_option == "FORMATTED_STRING":
                return format_date(value, fmt)
            return value
        return format_number(value, fmt) if value_option == "FORMATTED_VALUE" else value
    return value


def typed_value(value: Any) -> dict:
    """A stored value as an ExtendedValue (updateCells, grid data)."""
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, (int, float)):
        return {"numberValue": value}
    return {"stringValue": value}


def from_extended(extended: dict) -> tuple[Any, str | None]:
    """An ExtendedValue from updateCells: (value, formula or None)."""
    if "formulaValue" in extended:
        return formula_value(extended["formulaValue"]), extended["formulaValue"]
    if "numberValue" in extended:
        return number(float(extended["numberValue"])), None
    if "boolValue" in extended:
        return bool(extended["boolValue"]), None
    if "stringValue" in extended:
        return str(extended["stringValue"]), None
    if "errorValue" in extended:
        return "#ERROR!", None
    return "", None
