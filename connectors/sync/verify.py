"""Step 5 of a save on a source that writes by row number (Google Sheets): after the write lands, ONE read
of the touched tabs proves every located write sits in the row holding its key, and repairs it when a
row moved in between (someone inserted, deleted or sorted rows between our check read and our write).

The repair puts back what we overwrote (we hold it from the check read), re-applies ours at the key's
row as it is now, and puts a row deleted by mistake back with its values (appended at the tab's end,
where Google places it at write time). A repair is itself checked by one more read; whatever cannot be
proven right is named, cell by cell, and the save is not reported as saved.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from connectors.sources.interface import CellUpdate, Grid, RowAppend, WriteBatch
from connectors.sync.plan import Located, Plan, locate
from connectors.sync.values import same
from schemas.i18n import _
from schemas.registry import tab as registered_tab


@dataclass
class Check:
    """What the verify read found: the repair to send, what to tell the user, what could not be proven."""

    repair: WriteBatch = field(default_factory=WriteBatch)
    notes: list[str] = field(default_factory=list)
    unproven: list[str] = field(default_factory=list)
    expect: list[tuple[str, str, tuple[str, ...], str | None, Any]] = field(default_factory=list)  # kind, tab, key, column, value

    def needs_repair(self) -> bool:
        return bool(self.repair.updates or self.repair.appends or self.repair.deletes)


def _label(where: Located, key: tuple[str, ...], column: str | None = None) -> str:
    title = where.tab.title
    name = where.tab.column(column).title if column else None
    return f"{title} {'/'.join(key) or _('(row without id)')}" + (f", {name}" if name else "")


def _blank_but(where: Located, position: int, column: str) -> bool:
    row = where.grid.rows[position]
    return all(v in (None, "") for i, v in enumerate(row) if i != where.columns.get(column))


def verify(plan: Plan, grids: dict[str, Grid], date_order: str) -> Check:
    out = Check()
    for name in sorted({u.tab for u in plan.batch.updates} | {t for t, _key in plan.batch.deletes}):
        before, now = plan.located[name], locate(registered_tab(name), grids[name], date_order)
        _verify_updates(out, plan, before, now, date_order)
        _verify_deletes(out, plan, before, now)
    return out


def _landed_elsewhere(before: Located, now: Located, u: CellUpdate, claimed: set[int], date_order: str) -> tuple[list, list]:
    """Rows other than the key's now holding our value where the check read had another: (known rows with
    what they held, rows the check read never saw), nearest to the planned row first."""
    spec, planned = before.tab.column(u.column), before.index[u.key]
    overwritten, unseen = [], []
    for q in range(len(now.grid.rows)):
        key = now.key_at(q)
        if q in claimed or key == u.key or not same(now.cell(q, u.column, date_order), u.new, spec, date_order):
            continue
        if key in before.index and not same(before.cell(before.index[key], u.column, date_order), u.new, spec, date_order):
            overwritten.append((abs(q - planned), q, key, before.cell(before.index[key], u.column, date_order)))
        elif not any(key) and _blank_but(now, q, u.column):
            overwritten.append((abs(q - planned), q, key, None))  # a blank row someone inserted
        elif key not in before.index:
            unseen.append((abs(q - planned), q, key))  # a row added in the window: what it held is unknown
    return sorted(overwritten), sorted(unseen)


def _verify_updates(out: Check, plan: Plan, before: Located, now: Located, date_order: str) -> None:
    claimed: set[int] = set()
    for u in (u for u in plan.batch.updates if u.tab == before.tab.name):
        spec = before.tab.column(u.column)
        position = now.index.get(u.key)
        if position is not None and same(now.cell(position, u.column, date_order), u.new, spec, date_order):
            continue  # landed where it was meant
        overwritten, unseen = _landed_elsewhere(before, now, u, claimed, date_order)
        if overwritten:
            _where, q, key, value = overwritten[0]
            claimed.add(q)
            at_row = None if any(key) else now.grid.first_row + q
            out.repair.updates.append(CellUpdate(before.tab.name, key, u.column, u.new, value, at_row=at_row))
            out.expect.append(("cell", before.tab.name, key, u.column, value))
            out.notes.append(_("A row of {tab} moved while saving: your {column} for {key} first landed on {landed}; "
                               "that cell was put back.").format(tab=before.tab.title, column=spec.title, key='/'.join(u.key),
                                                                 landed='/'.join(key) or _("a new blank row")))
        elif unseen:
            _where, q, key = unseen[0]
            claimed.add(q)
            out.unproven.append(_("{cell}: a row someone added at that moment got your value {value} (meant for {key}); "
                                  "what it held before cannot be known - check it.").format(
                                      cell=_label(now, key, u.column), value=repr(u.new), key='/'.join(u.key)))
        if position is None:
            out.unproven.append(_("{cell}: the row was deleted by someone meanwhile, so your value {value} is not in the "
                                  "sheet.").format(cell=_label(before, u.key, u.column), value=repr(u.new)))
            continue
        current = now.cell(position, u.column, date_order)
        if not overwritten and not unseen and not same(current, u.old, spec, date_order):
            out.notes.append(_("{cell}: someone set it to {theirs} right after your save; theirs is kept (yours was "
                               "{yours}).").format(cell=_label(before, u.key, u.column), theirs=repr(current), yours=repr(u.new)))
            continue
        out.repair.updates.append(CellUpdate(before.tab.name, u.key, u.column, current, u.new))
        out.expect.append(("cell", before.tab.name, u.key, u.column, u.new))
        if overwritten:
            out.notes[-1] += " " + _("Yours was written to {key}.").format(key='/'.join(u.key))


def _surviving(before: Located, position: int, step: int, now: Located) -> tuple[str, ...] | None:
    p = position + step
    while 0 <= p < len(before.grid.rows):
        key = before.key_at(p)
        if key in now.index:
            return key
        p += step
    return None


def _verify_deletes(out: Check, plan: Plan, before: Located, now: Located) -> None:
    ours = {k for t, k in plan.batch.deletes if t == before.tab.name}
    missing = [(before.index[k], k) for k in before.index if k not in now.index and k not in ours]
    missed = [k for t, k in plan.batch.deletes if t == before.tab.name and k in now.index]
    for key in missed:
        position = now.index[key]
        victims = missing
        if len(missing) > 1:  # the row our delete hit sat between the rows now around the key's old place
            planned = before.index[key]
            above = now.key_at(planned - 1) if 1 <= planned <= len(now.grid.rows) else None
            below = now.key_at(planned) if planned < len(now.grid.rows) else None
            victims = [(p, k) for p, k in missing if (_surviving(before, p, -1, now), _surviving(before, p, 1, now)) == (above, below)]
        if len(victims) == 1:
            p, victim = victims[0]
            missing.remove(victims[0])
            out.repair.appends.append(RowAppend(before.tab.name, before.raw_row(p)))
            out.expect.append(("row", before.tab.name, victim, None, None))
            out.notes.append(_("A row of {tab} moved while saving: deleting {key} first removed {victim}; that row was put "
                               "back (at the end of the tab) and {key} deleted.").format(
                                   tab=before.tab.title, key='/'.join(key), victim='/'.join(victim)))
        elif not victims:
            out.unproven.append(_("{row}: while it was being deleted another row went too - one added in the same moment, "
                                  "which this app never read. Check the sheet's version history.").format(row=_label(before, key)))
        else:
            out.unproven.append(_("{row}: deleting it removed one of {rows} instead, and which one cannot be told. Check the "
                                  "sheet's version history.").format(row=_label(before, key),
                                                                     rows=', '.join('/'.join(k) for _p, k in victims)))
        out.repair.deletes.append((before.tab.name, key))
        out.expect.append(("gone", before.tab.name, key, None, None))
        del position


def confirmed(check: Check, grids: dict[str, Grid], date_order: str) -> list[str]:
    """What the read after a repair shows still wrong (empty when the repair is proven right)."""
    wrong = []
    located = {name: locate(registered_tab(name), grids[name], date_order) for name in {e[1] for e in check.expect}}
    for kind, name, key, column, value in check.expect:
        where = located[name]
        position = where.index.get(key)
        if kind == "gone":
            if position is not None:
                wrong.append(_("{row} is still in the sheet.").format(row=_label(where, key)))
        elif kind == "row":
            if position is None:
                wrong.append(_("{row} is missing: it was deleted by mistake and could not be put back.").format(row=_label(where, key)))
        elif any(key) and (position is None or not same(where.cell(position, column, date_order), value, where.tab.column(column), date_order)):
            wrong.append(_("{cell} should be {value}.").format(cell=_label(where, key, column), value=repr(value)))
    return wrong
