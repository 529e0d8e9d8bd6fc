from klk_analysis.narrative import percent, signed


def test_signed_amounts_as_the_narrative_prints_them():
    assert signed(12.1) == "+12,1"
    assert signed(3.04) == "+3,0"
    assert signed(-1.6) == "\u22121,6"
    assert signed(0.0) == "0"
    assert signed(-0.01) == "0"


def test_percent_without_space():
    assert percent(1.9) == "1,9%"
    assert percent(3) == "3,0%"
