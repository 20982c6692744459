"""The cow bank: each cow (by ear tag) and what happened to it."""
import itertools
from collections.abc import Iterable
from typing import Any

import pandas as pd

from schemas.base import Date, TabSchema, Text, code, column
from schemas.i18n import N_
from schemas.issues import Issue
from schemas.programme import EVERYONE, STAFF, Page, Programme
from schemas.rules import ERROR, WARNING, Rule, register_rules
from schemas.rules_context import Book, amount, cross_tab_rule, day
from schemas.settings import WHOLE, SettingSpec, register_settings
from schemas.site import register
from schemas.tab import Tab

COW_SEX_LABELS = {"female": ("Female", "ញី"), "male": ("Male", "ឈ្មោល")}
COW_EVENT_LABELS = {"granted": ("Granted", "បានផ្តល់ឲ្យ"), "passed_on": ("Passed on", "បានបន្តឲ្យគ្រួសារផ្សេង"),
                    "sold": ("Sold", "បានលក់"), "died": ("Died", "បានងាប់")}
COW_SEXES = list(COW_SEX_LABELS)
COW_EVENT_KINDS = list(COW_EVENT_LABELS)


class Cow(TabSchema):
    """A cow of the bank: one the programme bought, or a calf born to one."""

    cow_id: Text = column(N_("Ear tag"), N_("The cow's ear tag, e.g. CB-015."), pattern=r"^CB-\d{3,}$")
    sex: Text = column(N_("Sex"), "female or male.", isin=COW_SEXES, labels=COW_SEX_LABELS)
    born_on: Date = column(N_("Born on"), "Birth date (estimated for bought cows).")
    dam_id: Text = column(N_("Mother's ear tag"), "The mother's ear tag; blank for a cow the programme bought.", required=False, ref="cows.cow_id")
    village_code: Text = code(N_("Village code"), N_("Village of the cow bank it belongs to."), 8, ref="villages.village_code", place=True)
    note: Text = column(N_("Note"), "Anything worth knowing.", required=False)


class CowEvent(TabSchema):
    """A grant, pass-on, sale or death of a cow."""

    event_id: Text = column(N_("Event ID"), N_("Our id for the event, e.g. CE-0007."), pattern=r"^CE-\d{4,}$")
    date: Date = column(N_("Date"), "Day it happened.")
    cow_id: Text = column(N_("Ear tag"), "The cow concerned.", ref="cows.cow_id")
    kind: Text = column(N_("Kind"), "granted, passed_on, sold or died.", isin=COW_EVENT_KINDS, labels=COW_EVENT_LABELS)
    household_id: Text = column(N_("Household ID"), "The family receiving the cow (granted, passed_on) or holding it.", required=False, ref="households.household_id")
    note: Text = column(N_("Note"), "Anything worth knowing.", required=False)


# --- rules across rows and tabs (run by schemas.validate) ----------------------------------
# The cow bank policy (from the programme report): a family granted a cow passes its first and
# second calf to another family once the calf is 10 months old; then it may sell or keep the cow.

def months_between(start: Any, end: Any) -> int:
    """Whole months from start to end (a calf born 15 Jan is 10 months old on 15 Nov)."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    return (end.year - start.year) * 12 + end.month - start.month - (1 if end.day < start.day else 0)


def _first_rows(values: pd.Series) -> dict[Any, int]:
    """Value -> position of its first row (a repeated ear tag is reported by the key rule)."""
    first: dict[Any, int] = {}
    for position, value in enumerate(values.astype(object)):
        if not pd.isna(value):
            first.setdefault(value, position)
    return first


def _column(frame: pd.DataFrame, book: Book, tab: str, name: str) -> list[Any]:
    """A column as plain values, all None when the sheet lacks it."""
    if name not in book.frames[tab].columns:
        return [None] * len(frame)
    return [None if pd.isna(v) else v for v in frame[name].astype(object)]


@cross_tab_rule
def mothers_are_grown_cows(book: Book) -> Iterable[Issue]:
    """A dam is female, old enough at calving, calves far enough apart, and no cow is its own ancestor."""
    cows = book.frame("cows", "cow_id", "dam_id")
    if cows is None:
        return
    index = _first_rows(cows["cow_id"])
    dams, sexes, born = (_column(cows, book, "cows", c) for c in ("dam_id", "sex", "born_on"))
    min_months = book.setting("cow_dam_min_age_months", 20)
    min_days = book.setting("cow_calving_interval_days", 300)
    calves: dict[Any, list[int]] = {}
    for position, dam in enumerate(dams):
        mother = index.get(dam)
        if mother is None:
            continue  # no dam, or an unknown one (the foreign-key rule says so)
        calves.setdefault(dam, []).append(position)
        unborn = [p for p in (mother, position) if born[p] is None]
        if unborn:  # a birth date could not be read: the mother's age at calving is not known
            book.leave_out("cows", unborn, "cow.dam_too_young", [cows["cow_id"].iat[position]])
        if sexes[mother] is None:
            book.leave_out("cows", [mother], "cow.dam_not_female", [cows["cow_id"].iat[position]])
        if sexes[mother] == "male":
            yield book.issue("cow.dam_not_female", "cows", position, "dam_id", sex="male")
        elif born[mother] is not None and born[position] is not None:
            months = months_between(born[mother], born[position])
            if months < min_months:
                yield book.issue("cow.dam_too_young", "cows", position, "dam_id", months=months,
                                 min_months=amount(min_months))
    for dam, positions in calves.items():
        dated = sorted((born[p], p) for p in positions if born[p] is not None)
        for (before, other), (after, position) in itertools.pairwise(dated):
            days = (pd.Timestamp(after) - pd.Timestamp(before)).days
            if 0 < days < min_days:  # the same day is twins
                yield book.issue("cow.calves_too_close", "cows", position, "born_on", days=days, dam=dam,
                                 other_row=int(cows["_row"].iat[other]), min_days=amount(min_days))
    yield from _ancestry_loops(book, cows, index, dams)


def _ancestry_loops(book: Book, cows: pd.DataFrame, index: dict[Any, int], dams: list[Any]) -> Iterable[Issue]:
    """Follow each cow's mothers; a chain that comes back to a cow is reported at each cow in it."""
    done: set[int] = set()
    for start in range(len(dams)):
        path: list[int] = []
        seen: dict[int, int] = {}
        position: int | None = start
        while position is not None and position not in done and position not in seen:
            seen[position] = len(path)
            path.append(position)
            position = index.get(dams[position])
        if position is not None and position in seen:
            loop = path[seen[position]:]
            names = [str(cows["cow_id"].iat[p]) for p in loop]
            for p, name in zip(loop, names, strict=False):
                chain = " -> ".join(names[names.index(name):] + names[:names.index(name)] + [name])
                yield book.issue("cow.own_ancestor", "cows", p, "dam_id", cow=name, chain=chain)
        done.update(path)


@cross_tab_rule
def cow_events_follow_the_policy(book: Book) -> Iterable[Issue]:
    """No event after death; calves passed on old enough; a granted cow sold only after its pass-ons."""
    events = book.frame("cow_events", "date", "cow_id", "kind")
    if events is None:
        return
    dates, cow_ids, kinds = (_column(events, book, "cow_events", c) for c in ("date", "cow_id", "kind"))
    rows = events["_row"].astype(int).tolist()
    unknown_cow = book.dangling("cow_events", "cow_id").tolist()
    unread = [p for p in range(len(events)) if None in (dates[p], cow_ids[p], kinds[p]) or unknown_cow[p]]
    for p in unread:  # a known cow's event whose date or kind could not be read: it may be its death
        if cow_ids[p] is not None and not unknown_cow[p]:
            book.leave_out("cow_events", [p], "cow.event_after_death", [cow_ids[p]])
    unread = set(unread)
    dated = [p for p in range(len(events)) if dates[p] is not None and cow_ids[p] is not None and p not in unread]
    died: dict[Any, int] = {}
    for p in sorted((p for p in dated if kinds[p] == "died"), key=lambda p: dates[p]):
        died.setdefault(cow_ids[p], p)
    for p in dated:
        death = died.get(cow_ids[p])
        if death is not None and dates[p] > dates[death]:
            yield book.issue("cow.event_after_death", "cow_events", p, "date", kind=kinds[p], cow=cow_ids[p],
                             on=day(dates[p]), died_on=day(dates[death]), died_row=rows[death])

    cows = book.frame("cows", "cow_id")
    if cows is None:
        return
    index = _first_rows(cows["cow_id"])
    born, dams = _column(cows, book, "cows", "born_on"), _column(cows, book, "cows", "dam_id")
    min_months = book.setting("cow_pass_on_min_age_months", 10)
    needed = book.setting("cow_pass_on_calves", 2)
    passed_on: dict[Any, Any] = {}
    for p in (p for p in dated if kinds[p] == "passed_on"):
        passed_on[cow_ids[p]] = min(passed_on.get(cow_ids[p], dates[p]), dates[p])
        cow = index.get(cow_ids[p])
        if cow is not None and born[cow] is None:
            book.leave_out("cows", [cow], "cow.pass_on_too_young", [cow_ids[p]])
        if cow is not None and born[cow] is not None:
            months = months_between(born[cow], dates[p])
            if months < min_months:
                yield book.issue("cow.pass_on_too_young", "cow_events", p, "date", cow=cow_ids[p], on=day(dates[p]),
                                 months=months, min_months=amount(min_months))
    granted = {cow_ids[p] for p in dated if kinds[p] == "granted"}
    calves: dict[Any, list[Any]] = {}
    for position, dam in enumerate(dams):
        if dam is not None:
            calves.setdefault(dam, []).append(cows["cow_id"].iat[position])
    # A pass-on that could not be read, or a calf whose mother's ear tag points nowhere, could be any cow's.
    unsure = _unsure_pass_ons(book, unread, cow_ids, kinds, index, dams)
    for p in (p for p in dated if kinds[p] == "sold" and cow_ids[p] in granted):
        doubt = unsure.get(None, []) + unsure.get(cow_ids[p], [])
        if doubt:
            for tab in {tab for tab, _position in doubt}:
                book.leave_out(tab, [q for t, q in doubt if t == tab], "cow.sold_before_pass_ons", [cow_ids[p]])
            continue
        passed = sum(1 for calf in calves.get(cow_ids[p], []) if calf in passed_on and passed_on[calf] <= dates[p])
        if passed < needed:
            yield book.issue("cow.sold_before_pass_ons", "cow_events", p, "date", cow=cow_ids[p], on=day(dates[p]),
                             passed=passed, needed=amount(needed))


def _unsure_pass_ons(book: Book, unread: set[int], cow_ids: list[Any], kinds: list[Any],
                     index: dict[Any, int], dams: list[Any]) -> dict[Any, list[tuple[str, int]]]:
    """Mother's ear tag (None: any cow) -> the rows (tab, position) that may be a pass-on of one of her calves."""
    unsure: dict[Any, list[tuple[str, int]]] = {}
    for p in unread:
        if kinds[p] not in ("passed_on", None):
            continue
        calf = index.get(cow_ids[p])
        if calf is not None and dams[calf] is None:
            continue  # a cow the programme bought: nobody's calf
        unsure.setdefault(dams[calf] if calf is not None else None, []).append(("cow_events", p))
    for position in book.dangling("cows", "dam_id").nonzero()[0].tolist():
        unsure.setdefault(None, []).append(("cows", position))
    return unsure


# The messages of the checks above (their ids are stable: docs and tests name them).
register_rules(
    Rule("cow.dam_not_female", ERROR, N_("Mother is not female"),
         N_("'{header}' is {value}, but that cow is recorded as {sex}. Correct the mother's ear tag in cell {cell}."),
         N_("A calf's mother is a female cow.")),
    Rule("cow.dam_too_young", ERROR, N_("Mother too young"),
         N_("'{header}' is {value}, but that cow was only {months} months old when this calf was born; a cow calves at {min_months} months or older. Check cell {cell} and both birth dates."),
         N_("Check the birth dates and the mother's ear tag.")),
    Rule("cow.calves_too_close", ERROR, N_("Calves too close together"),
         N_("This calf was born {days} days after the calf in row {other_row} of the same mother {dam}; calves come at least {min_days} days apart. Check the birth date in cell {cell}."),
         N_("Check the birth dates and the mother's ear tag.")),
    Rule("cow.own_ancestor", ERROR, N_("Cow is its own ancestor"),
         N_("'{header}' is {value}, which makes cow {cow} its own ancestor ({chain}). Correct the mother's ear tag in cell {cell}."),
         N_("Follow the mothers' ear tags: one of them is wrong.")),
    Rule("cow.event_after_death", ERROR, N_("Event after death"),
         N_("This {kind} of cow {cow} is dated {on}, after the cow died on {died_on} (row {died_row}). Check the date in cell {cell}."),
         N_("Check the dates: nothing happens to a cow after it died.")),
    Rule("cow.pass_on_too_young", ERROR, N_("Calf passed on too young"),
         N_("Calf {cow} was passed on on {on}, when {months} months old; the cow bank passes calves on at {min_months} months or older. Check the date in cell {cell} and the calf's birth date."),
         N_("Pass a calf on once it is old enough (the pass-on age is set in the settings tab).")),
    Rule("cow.sold_before_pass_ons", WARNING, N_("Sold before passing on calves"),
         N_("Cow {cow} was sold on {on}, when {passed} of its calves had been passed on; the policy asks for {needed} first. Check the sale in cell {cell}."),
         N_("A family passes on its first calves before it sells the granted cow (how many is set in the settings tab).")),
)


# The programme (its roles, page and place in the order) and its tabs: what schemas.registry lists.
register(
    Programme("cow_bank", "Cow bank", EVERYONE, STAFF, Page("pages/cow_bank.py", N_("Cow bank"), ":material/pets:", order=40), order=50),
    Tab("cows", Cow, ("cow_id",), "cow_bank", N_("Cows")),
    Tab("cow_events", CowEvent, ("event_id",), "cow_bank", N_("Cow events"), period="date"),
)


# The settings its figures and checks read from the settings tab (schemas.settings says how each is read).
register_settings(
    SettingSpec("cow_pass_on_calves", "2", WHOLE, "cow_bank", N_("Calves a family passes on before the cow is theirs"), low=0, high=10),
    SettingSpec("cow_pass_on_min_age_months", "10", WHOLE, "cow_bank", N_("A calf passed on is at least this old"), low=0, high=60),
    SettingSpec("cow_dam_min_age_months", "20", WHOLE, "cow_bank", N_("A dam is at least this old at calving"), low=6, high=120),
    SettingSpec("cow_calving_interval_days", "300", WHOLE, "cow_bank", N_("Fewest days between two calvings"), low=200, high=1000),
)
