"""Rice banks: the banks and their ledger of rice in kilograms."""
from collections.abc import Iterable
from typing import Any

import numpy as np

from schemas.base import Date, Float, TabSchema, Text, code, column
from schemas.i18n import N_
from schemas.issues import Issue
from schemas.ledger import IN, OUT, kinds
from schemas.ledger_rules import balance_below_zero, loan_ids
from schemas.programme import EVERYONE, STAFF, Page, Programme
from schemas.rules import ERROR, Rule, register_rules
from schemas.rules_context import Book, amount, cross_tab_rule, plain
from schemas.settings import MONTHS, WHOLE, SettingSpec, register_settings
from schemas.site import register
from schemas.tab import Tab

# Which way each kind moves a bank's stock (insights.rice_bank sums kg with this sign).
RICE_LEDGER_DIRECTIONS = {"donation": IN, "loan": OUT, "repayment": IN, "loss": OUT, "sale": OUT}
RICE_LEDGER_KINDS = list(RICE_LEDGER_DIRECTIONS)
RICE_LEDGER_LABELS = {"donation": ("Donation", "អំណោយ"), "loan": ("Loan", "ខ្ចីស្រូវ"), "repayment": ("Repayment", "សងស្រូវ"),
                      "loss": ("Loss", "ខូចខាត"), "sale": ("Sale", "លក់")}


class RiceBank(TabSchema):
    """A village rice bank."""

    bank_id: Text = column(N_("Bank ID"), N_("Our id for the bank, e.g. RB-01."), pattern=r"^RB-\d{2,}$")
    name: Text = column(N_("Name"), "The bank's name, usually its village.", row_label=True)
    village_code: Text = code(N_("Village code"), N_("Village where the store stands."), 8, ref="villages.village_code", place=True)
    established_on: Date = column(N_("Established on"), "Day of the first donation.")
    capacity_kg: Float = column(N_("Capacity (kg)"), "How much rice the store can hold.", ge=1, le=1_000_000, unit="kg")
    interest_pct: Float = column(N_("Interest (%)"), "Interest in kind on a loan, in percent of the kg lent.", ge=0, le=100, unit="%")


class RiceEntry(TabSchema):
    """One movement of rice into or out of a bank."""

    entry_id: Text = column(N_("Entry ID"), N_("Our id for the entry, e.g. RL-000123."), pattern=r"^RL-\d{4,}$")
    date: Date = column(N_("Date"), "Day of the movement.")
    bank_id: Text = column(N_("Bank ID"), "Which bank.", ref="rice_banks.bank_id")
    kind: Text = column(N_("Kind"), "donation, loan, repayment, loss or sale.", isin=RICE_LEDGER_KINDS, labels=RICE_LEDGER_LABELS)
    kg: Float = column(N_("Kg"), "Kilograms of rice, always more than 0; the kind says which way it goes.", ge=0.001, le=1_000_000, unit="kg")
    household_id: Text = column(N_("Household ID"), "The borrowing family, for loans and repayments.", required=False, ref="households.household_id")
    loan_id: Text = column(N_("Loan ID"), "For a loan: its own id; for a repayment: the loan it repays.", required=False)
    note: Text = column(N_("Note"), "Anything worth knowing.", required=False)


# --- rules across rows and tabs (run by schemas.validate) ----------------------------------

RICE_IN = kinds(RICE_LEDGER_DIRECTIONS, IN)
RICE_OUT = kinds(RICE_LEDGER_DIRECTIONS, OUT)


@cross_tab_rule
def rice_loans_are_named(book: Book) -> Iterable[Issue]:
    yield from loan_ids(book, "rice_ledger", "bank_id", {"repayment"}, N_("bank"))


@cross_tab_rule
def rice_stock_never_below_zero(book: Book) -> Iterable[Issue]:
    yield from balance_below_zero(book, "rice_ledger", "bank_id", "kg", RICE_IN, RICE_OUT, "rice.stock_negative", N_("bank"))


@cross_tab_rule
def repayments_never_exceed_what_is_owed(book: Book) -> Iterable[Issue]:
    """A loan is repaid with the bank's interest in kind, and no more. A loan whose kg, bank or interest
    could not be read, or a repayment of it whose kg or date could not be, leaves that loan unjudged."""
    ledger = book.frame("rice_ledger", "date", "bank_id", "kind", "kg", "loan_id")
    banks = book.frame("rice_banks", "bank_id", "interest_pct")
    if ledger is None or banks is None:
        return
    interest: dict[Any, Any] = {}
    for position, (bank, pct) in enumerate(zip(plain(banks["bank_id"]), plain(banks["interest_pct"]), strict=False)):
        interest.setdefault(bank, ("rice_banks", position) if pct is None else pct)
    kind = ledger["kind"]
    named = ledger["loan_id"].notna().to_numpy(dtype=bool, na_value=False) & (
        kind.isin(["loan", "repayment"]).to_numpy(dtype=bool, na_value=False) | kind.isna().to_numpy())
    at = np.flatnonzero(named)  # the rows that are, or may be, a loan or a repayment of one: positions in the ledger
    rows = ledger.iloc[at]
    kinds, bank_ids, loans, kgs, dates = (plain(rows[c]) for c in ("kind", "bank_id", "loan_id", "kg", "date"))
    unknown_bank = [b is None or bad for b, bad in zip(bank_ids, book.dangling("rice_ledger", "bank_id")[at].tolist(), strict=False)]
    owed: dict[tuple, tuple[float, float]] = {}
    doubt: dict[Any, list[tuple[str, int]]] = {}  # (bank, loan) or a loan id of any bank -> the rows that leave it unknown
    for i, (kind_of, bank, loan, kg) in enumerate(zip(kinds, bank_ids, loans, kgs, strict=False)):
        if kind_of == "repayment":
            if kg is None or dates[i] is None:
                doubt.setdefault((bank, loan), []).append(("rice_ledger", int(at[i])))
            continue
        pct = interest.get(bank)
        key = loan if kind_of is None or unknown_bank[i] else (bank, loan)
        if key == loan or kg is None:
            doubt.setdefault(key, []).append(("rice_ledger", int(at[i])))
        elif isinstance(pct, tuple):
            doubt.setdefault(key, []).append(pct)
        elif pct is not None:
            owed.setdefault(key, (kg * (1 + pct / 100), pct))
    order = sorted((d, int(r), i) for i, (d, r) in enumerate(zip(dates, rows["_row"], strict=False)) if kinds[i] == "repayment"
                   and kgs[i] is not None and d is not None)
    repaid: dict[tuple, float] = {}
    unjudged: set[Any] = set()
    for _date, _row, i in order:
        key = (bank_ids[i], loans[i])
        if key not in owed and key not in doubt and loans[i] not in doubt:
            continue
        if key in doubt or loans[i] in doubt:
            unjudged.update(k for k in (key, loans[i]) if k in doubt)
            continue
        repaid[key] = repaid.get(key, 0.0) + float(kgs[i])
        total, pct = owed[key]
        if repaid[key] > total + 1e-6:
            yield book.issue("rice.repayment_too_large", "rice_ledger", int(at[i]), "kg", amount=amount(kgs[i]),
                             loan=loans[i], repaid=amount(repaid[key]), owed=amount(total), interest=amount(pct))
    for key in unjudged:
        for tab in {tab for tab, _p in doubt[key]}:
            book.leave_out(tab, [p for t, p in doubt[key] if t == tab], "rice.repayment_too_large",
                           [key[1] if isinstance(key, tuple) else key])


# The messages of the checks above (their ids are stable: docs and tests name them).
register_rules(
    Rule("rice.stock_negative", ERROR, N_("Rice stock below zero"),
         N_("This {kind} of {amount} kg takes the stock of bank {bank} below zero on {date} (to {balance} kg). Check the kg in cell {cell} and the entries before it."),
         N_("A bank cannot give out more rice than it holds: look for a missing donation or a wrong amount.")),
    Rule("rice.repayment_too_large", ERROR, N_("Repaid more than owed"),
         N_("This repayment of {amount} kg brings loan {loan} to {repaid} kg repaid, more than the {owed} kg owed with {interest}{percent} interest. Check the kg in cell {cell}."),
         N_("A loan is repaid with its interest and no more.")),
)


# The programme (its roles, page and place in the order) and its tabs: what schemas.registry lists.
register(
    Programme("rice_bank", "Rice bank", EVERYONE, STAFF, Page("pages/rice_bank.py", N_("Rice bank"), ":material/grass:", order=50), order=60),
    Tab("rice_banks", RiceBank, ("bank_id",), "rice_bank", N_("Rice banks")),
    Tab("rice_ledger", RiceEntry, ("entry_id",), "rice_bank", N_("Rice ledger"), period="date"),
)


# The settings its figures and checks read from the settings tab (schemas.settings says how each is read).
register_settings(
    SettingSpec("rice_lean_months", "7,8,9,10", MONTHS, "rice_bank", N_("The lean season's months")),
    SettingSpec("rice_loan_term_months", "6", WHOLE, "rice_bank", N_("Months until a rice loan is due"), low=1, high=36),
)
