import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klk_analysis.formatting import number
from klk_analysis.numbers import AmountError, parse_amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-1,6", -1.6),
        ("\u22121,6", -1.6),
        ("– 37 264", -37264.0),
        ("(1,6)", -1.6),
        ("1 301,9", 1301.9),
        ("1\u00a0301,9", 1301.9),
        ("7 207,9", 7207.9),
        ("1301,9", 1301.9),
        ("+12,1", 12.1),
        ("0", 0.0),
        ("–", 0.0),
        ("  5,9 ", 5.9),
        ("-1.6", -1.6),
        # An English decimal point, as a finance system's export writes it, is read when it
        # cannot be a thousands dot: not exactly three digits after it, or 0 or four or more
        # digits before it.
        ("16.7", 16.7),
        ("\u221216.75", -16.75),
        ("0.125", 0.125),
        ("1301.250", 1301.25),
        ("2.5000", 2.5),
        (115.4, 115.4),
        (0, 0.0),
    ],
)
def test_parse_amount_reads_real_forms(text, expected):
    assert parse_amount(text) == pytest.approx(expected)


@pytest.mark.parametrize("empty", [None, "", "   ", "\u00a0"])
def test_empty_cells_are_none(empty):
    assert parse_amount(empty) is None


@pytest.mark.parametrize(
    "bad",
    [
        "abc",
        "12 5",
        "1,2,3",
        "#REF!",
        "--1",
        "(-1,6)",
        True,
        float("nan"),
        "1 30,9",
        "5 %",
        1e27,  # no finance figure: refused so that sums stay finite and printable
        "−1 000 000 000 000 000",
    ],
)
def test_non_amounts_are_refused(bad):
    with pytest.raises(AmountError):
        parse_amount(bad)


@pytest.mark.parametrize(
    ("text", "thousands", "decimals"),
    [
        ("1.301", "1 301", "1,301"),
        ("-1.301", "-1 301", "-1,301"),
        ("(999.000)", "(999 000)", "(999,000)"),
        ("\u00a012.345 ", "12 345", "12,345"),
    ],
)
def test_a_dot_before_exactly_three_digits_is_ambiguous_and_refused(text, thousands, decimals):
    with pytest.raises(AmountError) as caught:
        parse_amount(text)
    assert f"skriv {thousands} (med mellanslag)" in caught.value.reason
    assert f"eller {decimals} (med komma)" in caught.value.reason


@pytest.mark.parametrize(
    ("text", "written"), [("1.234.567", "1 234 567"), ("12.345,6", "12 345,6")]
)
def test_dots_between_thousands_are_refused_with_the_spaced_form(text, written):
    with pytest.raises(AmountError) as caught:
        parse_amount(text)
    assert f"skriv {written} (med mellanslag)" in caught.value.reason


def test_plain_non_amounts_carry_no_reason():
    with pytest.raises(AmountError) as caught:
        parse_amount("ca 29")
    assert caught.value.reason == ""


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_every_swedish_formatted_number_reads_back(tenths):
    value = tenths / 10
    for minus in ("-", "\u2212", "\u2013"):
        assert math.isclose(parse_amount(number(value, minus=minus)), value, abs_tol=1e-9)


@given(st.text(max_size=20))
def test_any_text_gives_a_number_none_or_amount_error(text):
    try:
        result = parse_amount(text)
    except AmountError:
        return
    assert result is None or math.isfinite(result)


_SIGNS = st.sampled_from(
    [("", 1), ("+", 1), ("-", -1), ("\u2212", -1), ("\u2013", -1), ("\u2014", -1), ("– ", -1)]
)


@st.composite
def swedish_numbers(draw):
    """An amount as a Swedish report or finance system may write it, with its value."""
    whole = draw(st.integers(min_value=0, max_value=10**12))
    decimals = draw(st.integers(min_value=0, max_value=3))
    fraction = draw(st.integers(min_value=0, max_value=10**decimals - 1)) if decimals else 0
    group = draw(st.sampled_from(["", " ", "\u00a0", "\u202f", "\u2009"]))
    digits = f"{whole:,}".replace(",", group)
    if decimals:
        # 1.301 is refused as ambiguous (see above): a dot only where it cannot be a thousands dot
        dot_ok = decimals != 3 or whole == 0 or whole >= 1000
        separator = draw(st.sampled_from([",", "."] if dot_ok else [","]))
        digits += separator + str(fraction).zfill(decimals)
    value = whole + fraction / 10**decimals
    sign, factor = draw(_SIGNS)
    text = f"({digits})" if factor < 0 and draw(st.booleans()) else sign + digits
    pad = draw(st.sampled_from(["", " ", "\u00a0", "\t"]))
    return pad + text + pad, factor * value


@given(swedish_numbers())
def test_every_swedish_written_amount_reads_back_to_its_value(case):
    text, value = case
    assert math.isclose(parse_amount(text), value, rel_tol=1e-12, abs_tol=1e-12)
