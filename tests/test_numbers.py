"""Number formats from spreadsheets and CRMs (SPEC §3)."""

from __future__ import annotations

import pytest

from intscore.numbers import NotANumber, format_number, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12000", 12000),
        ("12,000", 12000),
        ("12000.5", 12000.5),
        ("$12,000", 12000),
        ("€8,000", 8000),
        ("USD 8000", 8000),
        ("8000 EUR", 8000),
        ("12k", 12000),
        ("12K", 12000),
        ("1.2M", 1_200_000),
        ("2.5 mm", 2_500_000),
        ("1bn", 1e9),
        (" 42 ", 42),
        ("-5", -5),
        ("-$5", -5),
        ("1,234,567.89", 1234567.89),
        ("1e3", 1000),
        (".5", 0.5),
        (7, 7),
        (2.5, 2.5),
    ],
)
def test_accepted_numbers(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [("12.000,50", 12000.5), ("1.234.567", 1234567), ("€8.000", 8000), ("3,5", 3.5), ("12", 12)],
)
def test_decimal_comma(text, value):
    assert parse_number(text, decimal_comma=True) == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("lots", "'lots' is not a number"),
        ("NaN", "'NaN' is not a number"),
        ("inf", "'inf' is not a number"),
        ("12,00", "'12,00' is not a number (for a decimal comma, use --decimal-comma)"),
        ("1,2,3", "'1,2,3' is not a number"),
        ("1e400", "'1e400' is too large"),
        (True, "True is not a number"),
        (float("nan"), "'nan' is not a finite number"),
        ("", "'' is not a number"),
    ],
)
def test_refused_numbers(text, message):
    with pytest.raises(NotANumber) as info:
        parse_number(text)
    assert str(info.value) == message


def test_format_number():
    assert format_number(740000.0) == "740,000"
    assert format_number(3.5) == "3.5"
    assert format_number(2 / 3) == "0.67"
    assert format_number(-1200.0) == "-1,200"
