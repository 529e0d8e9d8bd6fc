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


# Boundaries pinned one by one, so that a changed comparison or limit fails a test
# (`make mutation` checks that it does).


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # MAX_AMOUNT is 1e15 = 1 000 000 000 000 000: one below it is still an amount.
        (999_999_999_999_999, 999_999_999_999_999.0),
        (-999_999_999_999_999, -999_999_999_999_999.0),
        (999_999_999_999_999.0, 999_999_999_999_999.0),
        ("999 999 999 999 999", 999_999_999_999_999.0),
        ("−999 999 999 999 999", -999_999_999_999_999.0),
        ("(999 999 999 999 999)", -999_999_999_999_999.0),
        (7, 7.0),
        (-0.5, -0.5),
    ],
)
def test_amounts_one_below_the_limit_are_read(value, expected):
    assert parse_amount(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        10**15,
        -(10**15),
        1e15,
        -1e15,
        "1 000 000 000 000 000",
        "1000000000000000",
        "1000000000000000,0",
        "(1 000 000 000 000 000)",
        float("inf"),
        float("-inf"),
    ],
)
def test_amounts_at_the_limit_are_refused(value):
    with pytest.raises(AmountError):
        parse_amount(value)


@pytest.mark.parametrize(
    "value",
    [
        False,  # a bool is an int to Python, never an amount
        [1],
        {"a": 1},
        b"12",
    ],
)
def test_values_that_are_neither_numbers_nor_text_are_refused(value):
    with pytest.raises(AmountError) as caught:
        parse_amount(value)
    assert caught.value.value == value and caught.value.reason == ""


@pytest.mark.parametrize(
    "text",
    [
        "(12",  # unbalanced: an opening bracket alone
        "12)",  # unbalanced: a closing bracket alone
        "(1301",  # must never read as −130 by dropping the last digit
        "1301)",
        "((1))",  # nested
        "(())",
        "()",
        "(-)",
        "(+12)",  # a plus inside brackets: two signs
        "(−12)",
        "+-12",
        "-+12",
        "--12",
        "+",
        "++12",
        "12-",  # a trailing minus
        "12 −",
        "1-2",
        "1(2)",
        ",5",
        "5,",
    ],
)
def test_unbalanced_nested_and_doubled_signs_are_refused(text):
    with pytest.raises(AmountError):
        parse_amount(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("( 12 )", -12.0),  # spaces inside the brackets
        ("(12)", -12.0),
        ("- 12", -12.0),
        ("+ 12", 12.0),
        ("—12", -12.0),  # em dash
        ("\u221212", -12.0),  # minus sign
        ("–12", -12.0),  # en dash
        ("—", 0.0),  # a lone em dash is zero, as a lone en dash
        ("\u2212", 0.0),
        ("-", 0.0),
        ("+0", 0.0),
        ("1\u202f301", 1301.0),  # narrow no-break space between thousands
        ("1\u2009301", 1301.0),  # thin space
        ("1\u00a0301", 1301.0),  # no-break space
        ("1 301 302", 1301302.0),
        ("\t5,9\r\n", 5.9),
        ("\u202f5,9\u2009", 5.9),
        ("1,301", 1.301),  # a comma before three digits is always the decimal comma
        ("1 301.250", 1301.25),  # spaces between thousands, so the dot is the decimal point
        ("0.125", 0.125),
        ("999,000", 999.0),
    ],
)
def test_signs_and_spaces_in_every_position(text, expected):
    assert parse_amount(text) == pytest.approx(expected)


def test_a_lone_dash_is_a_positive_zero():
    # "–" prints zero; it must not become −0,0 (which a report would print as "−0,0").
    assert math.copysign(1.0, parse_amount("–")) == 1.0


def test_a_dot_before_three_digits_with_more_than_three_before_it_is_a_decimal_point():
    # head "1301" has four digits: it cannot be a thousands group, so 1301.250 is 1301,25.
    assert parse_amount("1301.250") == 1301.25
    # head "999" has three: ambiguous.
    with pytest.raises(AmountError, match=r"999\.250"):
        parse_amount("999.250")


def test_the_suggested_spelling_keeps_the_users_sign_and_spaces_collapsed():
    # "-  1.234.567": the text is "- 1.234.567" with the double space made single.
    with pytest.raises(AmountError) as caught:
        parse_amount("-  1.234.567")
    assert caught.value.reason == (
        "Punkt mellan tusental läses inte; skriv - 1 234 567 (med mellanslag)."
    )


def test_the_ambiguous_dot_message_in_full():
    with pytest.raises(AmountError) as caught:
        parse_amount("4.250")
    assert caught.value.reason == (
        "En punkt följd av exakt tre siffror kan vara både tusentalsavgränsare och "
        "decimaltecken; skriv 4 250 (med mellanslag) om det är tusental, eller 4,250 "
        "(med komma) om det är decimaler."
    )
    assert caught.value.value == "4.250"


@pytest.mark.parametrize(
    "value",
    [
        float("inf"),  # the numeric branch
        "(-1,6)",  # two signs
        "abc",  # no digits
        "1.234.567",  # dots between thousands (a reason is given)
        "1 000 000 000 000 000",  # the limit, reached after reading the text
    ],
)
def test_every_refusal_carries_the_cells_value_for_the_loaders_message(value):
    with pytest.raises(AmountError) as caught:
        parse_amount(value)
    assert caught.value.value == value
    assert caught.value.args == (value,)


@pytest.mark.parametrize(
    "text",
    [
        "X12",  # a letter before or after the digits is not padding
        "12X",
        "\u200312",  # an em space is not among the spaces a finance system writes
        "12\x0c",  # a form feed
    ],
)
def test_only_the_known_spaces_are_stripped(text):
    with pytest.raises(AmountError):
        parse_amount(text)
