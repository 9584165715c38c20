"""Sums of money as Indonesian officials write them, on every page, report and export: `Rp 50.000.000`."""

from __future__ import annotations

from babel.numbers import format_currency


def money(amount: float, currency: str = "IDR") -> str:
    """`Rp 150.000.000`, `US$ 2.500`: the currency's sign first, Indonesian grouping, whole amounts without decimals."""
    return format_currency(amount, currency, format="¤ #,##0.##", locale="id", currency_digits=False)
