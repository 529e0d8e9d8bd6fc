from klk_analysis.formatting import mnkr, number


def test_decimal_comma_space_thousands_true_minus():
    assert mnkr(1301.94) == "1\u00a0301,9"
    assert mnkr(-1.6) == "\u22121,6"
    assert mnkr(-461.5) == "\u2212461,5"


def test_signed_amounts_carry_plus():
    assert mnkr(12.1, sign=True) == "+12,1"
    assert mnkr(-0.1, sign=True) == "\u22120,1"
    assert mnkr(0.0, sign=True) == "0,0"


def test_rounds_half_away_from_zero_and_never_prints_minus_zero():
    assert mnkr(0.05) == "0,1"
    assert mnkr(-0.25) == "\u22120,3"
    assert mnkr(-0.04) == "0,0"
    assert number(2.675, 2) == "2,68"
