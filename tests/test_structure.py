"""The structure finder: sums, their parts and groups, from words and from the figures."""

from klk_analysis.structure import Row, find_structure


def line(label, *values):
    return Row(label, tuple(float(v) for v in values))


def total(label, *values, result=False, name=""):
    return Row(
        label,
        tuple(float(v) for v in values),
        says_sum=not result,
        says_result=result,
        name=name or label.split(" ", 1)[-1],
    )


def heading(label):
    return Row(label, (), heading=True)


def test_sections_and_result_as_in_the_source_document():
    rows = [
        line("Kommunersättning", 115.4),
        line("Övriga intäkter", 16.7),
        total("Summa INTÄKTER", 132.0),  # 115,4 + 16,7 = 132,1: a rounding gap
        line("Personalkostnader", -29.1),
        line("Övriga kostnader", -90.8),
        total("Summa KOSTNADER", -119.9),
        total("Summa ÅRETS RESULTAT", 12.1, result=True),
    ]
    s = find_structure(rows)
    assert s.parts == {2: (0, 1), 5: (3, 4), 6: (2, 5)}
    assert s.kinds == ("line", "line", "sum", "line", "line", "sum", "result")
    assert s.total == 6


def test_groups_with_subtotals_beside_a_unit_outside_any_group():
    rows = [
        line("Central administration", -10, -11),  # 0: outside any group
        line("Förskola Nord", -20, -21),  # 1
        line("Förskola Syd", -15, -15),  # 2
        total("Summa Förskola", -35, -36),  # 3 = 1 + 2
        line("Skola A", -30, -29),  # 4
        line("Skola B", -40, -42),  # 5
        total("Summa Grundskola", -70, -71),  # 6 = 4 + 5
        total("Totalt", -115, -118),  # 7 = 0 + 3 + 6
    ]
    s = find_structure(rows)
    assert s.parts[3] == (1, 2)
    assert s.parts[6] == (4, 5)
    assert s.parts[7] == (0, 3, 6)
    assert s.groups == ("", "Förskola", "Förskola", "", "Grundskola", "Grundskola", "", "")
    assert s.total == 7


def test_a_wrong_subtotal_still_takes_its_own_units():
    # Summa Förskola typed −40 instead of −35 in the first column; the second column adds up.
    rows = [
        line("Central administration", -10, -11),
        line("Förskola Nord", -20, -21),
        line("Förskola Syd", -15, -15),
        total("Summa Förskola", -40, -36),
        total("Totalt", -45, -47),
    ]
    s = find_structure(rows)
    # (1, 2) adds up in the second column (−36); (0, 1, 2) in neither (−45, −47)
    assert s.parts[3] == (1, 2)
    assert s.parts[4] == (0, 3)


def test_nested_groups_under_headings():
    rows = [
        heading("Utbildning"),
        heading("Grundskola"),
        line("Skola A", -30),
        line("Skola B", -40),
        total("Summa Grundskola", -70),
        heading("Gymnasium"),
        line("Gymnasiet", -50),
        total("Summa Gymnasium", -50),
        total("Summa Utbildning", -120),
        line("Stab", -5),
        total("Totalt", -125),
    ]
    s = find_structure(rows)
    assert s.parts[4] == (2, 3)
    assert s.parts[7] == (6,)
    assert s.parts[8] == (4, 7)
    assert s.parts[10] == (8, 9)
    assert s.groups[2] == "Grundskola" and s.groups[6] == "Gymnasium"
    assert s.groups[4] == "Utbildning" and s.groups[9] == ""


def test_headings_without_subtotals_name_their_units():
    rows = [
        heading("Förskola"),
        line("Nord", -20),
        line("Syd", -15),
        heading("Skola"),
        line("A", -30),
        total("Totalt", -65),
    ]
    s = find_structure(rows)
    assert s.parts[5] == (1, 2, 4)
    assert s.groups[1] == "Förskola" and s.groups[2] == "Förskola" and s.groups[4] == "Skola"


def test_grand_total_first():
    rows = [
        total("Totalt", -65, -66),
        line("Nord", -20, -21),
        line("Syd", -15, -15),
        line("A", -30, -30),
    ]
    s = find_structure(rows)
    assert s.reversed
    assert sorted(s.parts[0]) == [1, 2, 3]
    assert s.total == 0


def test_group_totals_first_without_sum_words_are_found_by_their_figures():
    rows = [
        line("Förskola", -35, -36),  # = the next two
        line("Nord", -20, -21),
        line("Syd", -15, -15),
        line("Grundskola", -70, -71),  # = the next two
        line("A", -30, -29),
        line("B", -40, -42),
    ]
    s = find_structure(rows)
    assert sorted(s.parts[0]) == [1, 2]
    assert sorted(s.parts[3]) == [4, 5]
    assert s.groups[1] == "Förskola" and s.groups[5] == "Grundskola"


def test_a_unit_equal_to_nothing_is_not_a_sum():
    rows = [line("A", -1, -2), line("B", -3, -4), line("C", -4, -5), total("Summa", -8, -11)]
    # C is not A + B in both columns (−4 ≠ −4? yes; −5 ≠ −6): C stays a unit
    s = find_structure(rows)
    assert s.kinds[2] == "line"
    assert s.parts[3] == (0, 1, 2)


def test_kommunbidrag_shape_result_is_nettokostnad_plus_kommunbidrag():
    rows = [
        line("Verksamhetens intäkter", 150),
        line("Verksamhetens kostnader", -1450),
        total("Verksamhetens nettokostnad", -1300),
        line("Kommunbidrag", 1320),
        total("Årets resultat", 20, result=True),
    ]
    s = find_structure(rows)
    assert s.parts[2] == (0, 1)
    assert s.parts[4] == (2, 3)


def test_a_lost_sign_keeps_the_layouts_parts():
    # Skola B printed +40 instead of −40: no choice of rows adds up, so the layout decides.
    rows = [
        line("Stab", -5),
        line("Skola A", -30),
        line("Skola B", 40),
        total("Summa Grundskola", -70),
        total("Totalt", -75),
    ]
    s = find_structure(rows)
    assert s.parts[3] == (0, 1, 2) or s.parts[3] == (1, 2)
    assert s.parts[4][-1] == 3


def test_varav_rows_are_not_parts_of_a_sum():
    rows = [
        line("Intäkter", 100),
        Row("varav bidrag", (40.0,), varav=True),
        line("Kostnader", -90),
        total("Summa", 10),
    ]
    s = find_structure(rows)
    assert s.parts[3] == (0, 2)
    assert s.kinds[1] == "varav"


def test_a_sum_matches_within_0_2_and_not_beyond():
    # Summa 3,2 against B + C = 3 (a gap of 0,2000000000000002 in floating point): it takes
    # B and C, not the layout's A + B + C = 13, which adds up to nothing.
    rows = [line("A", 10), line("B", 1), line("C", 2), total("Summa", 3.2)]
    assert find_structure(rows).parts[3] == (1, 2)
    # 3,3 is 0,3 from B + C: nothing adds up, so the layout gives the last sum every row.
    rows[3] = total("Summa", 3.3)
    assert find_structure(rows).parts[3] == (0, 1, 2)


def test_a_row_without_a_sum_word_is_a_sum_from_half_a_hundredth():
    # C is A + B in both columns; its figures are 0,005, the smallest a sum can be found by.
    rows = [line("A", 0.003, 0.003), line("B", 0.002, 0.002), line("C", 0.005, 0.005)]
    assert find_structure(rows).kinds == ("line", "line", "result")
    # below 0,005 a figure is noise: C is a line
    rows = [line("A", 0.003, 0.003), line("B", 0.001, 0.001), line("C", 0.004, 0.004)]
    assert find_structure(rows).kinds == ("line", "line", "line")


def test_a_wrong_sum_after_a_subtotal_takes_the_lines_after_it():
    # Summa B −50 adds up to nothing (B2 lost its minus: −20 + 30 = 10); the layout gives it
    # the lines after Summa A, not Summa A itself.
    rows = [
        line("A1", -10),
        line("A2", -5),
        total("Summa A", -15),
        line("B1", -20),
        line("B2", 30),
        total("Summa B", -50),
        total("Totalt", -65),  # −15 + −50
    ]
    assert find_structure(rows).parts == {2: (0, 1), 5: (3, 4), 6: (2, 5)}


def test_a_wrong_sum_after_subtotals_takes_the_subtotals_after_the_last_line():
    # Summa AB −99 adds up to nothing; right after two subtotals it takes those two, not X.
    rows = [
        line("X", -7),
        line("A1", -10),
        line("A2", -5),
        total("Summa A", -15),
        line("B1", -1),
        line("B2", -2),
        total("Summa B", -3),
        total("Summa AB", -99),
        total("Totalt", -106),  # −7 + −99
    ]
    s = find_structure(rows)
    assert s.parts[7] == (3, 6)
    assert s.parts[8] == (0, 7)


def test_a_wrong_sum_right_after_one_subtotal_takes_that_subtotal_alone():
    rows = [
        line("X", -7),
        line("A1", -10),
        line("A2", -5),
        total("Summa A", -15),
        total("Summa AA", -99),  # adds up to nothing: −15 alone, −22 with X
        total("Totalt", -106),  # −7 + −99
    ]
    s = find_structure(rows)
    assert s.parts[4] == (3,)
    assert s.parts[5] == (0, 4)


def test_kinds_of_headings_varav_sums_lines_and_the_result():
    rows = [
        heading("Verksamhet"),
        line("Intäkter", 100),
        Row("varav bidrag", (40.0,), varav=True),
        line("Kostnader", -90),
        total("Summa", 10),
    ]
    s = find_structure(rows)
    assert s.kinds == ("heading", "line", "varav", "line", "result")
    assert s.total == 4
    # the heading spans the whole table, so its group is the total's: no group of its own
    assert s.groups == ("", "", "", "", "")


def test_the_result_row_by_its_words_is_the_total_even_beside_other_roots():
    rows = [line("A", 1), line("B", 2), total("Årets resultat", 3, result=True), line("C", 4)]
    s = find_structure(rows)
    assert s.total == 2 and s.kinds[2] == "result"
    # two sums of their own and no result row: no total
    rows = [line("A", 1), line("B", 2), total("Summa 1", 3), line("C", 4), line("D", 5)]
    rows.append(total("Summa 2", 9))
    s = find_structure(rows)
    # Summa 2 is C + D (4 + 5 = 9): two sums side by side, neither holds the other
    assert s.parts[5] == (3, 4)
    assert s.total is None
    rows = [line("A", 1), line("B", 2), total("Summa 1", 3), line("C", 4)]
    s = find_structure(rows)
    assert s.total is None  # Summa 1 and C are both roots


def test_totals_first_with_a_second_total_word():
    # Totalt first takes what follows; a second total-worded row first in the table is not a sum.
    rows = [
        total("Totalt", -65),
        total("Summa", -65),
        line("Nord", -20),
        line("Syd", -15),
        line("A", -30),
    ]
    s = find_structure(rows)
    assert s.total == 0
    assert s.kinds[0] == "result"


def test_a_subtotal_groups_name_comes_from_its_heading():
    rows = [
        heading("Förskolor"),
        line("Nord", -20),
        line("Syd", -15),
        total("Summa förskola", -35),
        line("Stab", -5),
        total("Totalt", -40),
    ]
    s = find_structure(rows)
    assert s.parts[3] == (1, 2)
    assert s.groups[1] == "Förskolor" and s.groups[2] == "Förskolor"
    assert s.groups[3] == "" and s.groups[4] == ""


def test_group_totals_above_their_lines_then_sums_below_as_usual():
    # "Intäkter" and "Kostnader" carry their totals above their lines; then Nettokostnad,
    # Kommunbidrag and Resultat follow as in the common shape.
    rows = [
        line("Intäkter", 60, 55),  # = 40 + 20 / 35 + 20
        line("Avgifter", 40, 35),
        line("Bidrag", 20, 20),
        line("Kostnader", -300, -310),  # = −200 − 100 / −210 − 100
        line("Personal", -200, -210),
        line("Övrigt", -100, -100),
        total("Nettokostnad", -240, -255),  # = 60 − 300 / 55 − 310
        line("Kommunbidrag", 250, 250),
        total("Resultat", 10, -5, result=True),
    ]
    s = find_structure(rows)
    assert s.parts[0] == (1, 2) and s.parts[3] == (4, 5)
    assert s.parts[6] == (0, 3)
    assert s.parts[8] == (6, 7)
    assert s.kinds[0] == "sum" and s.kinds[1] == "line" and s.total == 8


def test_an_empty_table_and_a_table_of_headings_have_no_structure():
    s = find_structure([])
    assert (s.kinds, s.parts, s.groups, s.total, s.reversed) == ((), {}, (), None, False)
    s = find_structure([heading("Verksamhet"), heading("Förskola")])
    assert s.kinds == ("heading", "heading") and s.total is None


def test_a_heading_over_lines_without_a_sum_names_them():
    rows = [heading("Enheter"), line("Nord", -20), line("Syd", -15)]
    s = find_structure(rows)
    assert s.kinds == ("heading", "line", "line")
    assert s.groups == ("", "Enheter", "Enheter")


def test_a_heading_after_a_group_closes_it_even_after_a_subtotal():
    # Förskolor closes with its subtotal; Fritid has one unit and no subtotal, so the heading
    # Grundskolor after it closes it; a unit outside any group comes first.
    rows = [
        line("Stab", -5),  # 0
        heading("Förskolor"),  # 1
        line("Nord", -20),  # 2
        line("Syd", -15),  # 3
        total("Summa förskola", -35),  # 4 = 2 + 3
        heading("Fritid"),  # 5
        line("Fritidsgård", -8),  # 6
        heading("Grundskolor"),  # 7
        line("Skola A", -30),  # 8
        line("Skola B", -40),  # 9
        total("Summa grundskola", -70),  # 10 = 8 + 9
        total("Totalt", -118),  # 11 = −5 − 35 − 8 − 70
    ]
    s = find_structure(rows)
    assert s.parts == {4: (2, 3), 10: (8, 9), 11: (0, 4, 6, 10)}
    # the groups are named by their headings, not by the subtotals' words
    assert s.groups == (
        "",
        "",
        "Förskolor",
        "Förskolor",
        "",
        "",
        "Fritid",
        "",
        "Grundskolor",
        "Grundskolor",
        "",
        "",
    )
    assert s.total == 11


def test_an_empty_heading_before_the_total_leaves_the_groups_as_they_were():
    # Verksamhet heads the whole table; Övrigt heads nothing (the total follows it at once).
    rows = [
        heading("Verksamhet"),  # 0
        line("Stab", -5),  # 1
        line("Skola A", -30),  # 2
        line("Skola B", -40),  # 3
        total("Summa skola", -70, name="Skola"),  # 4 = 2 + 3 (not 1 + 2 + 3 = −75)
        heading("Övrigt"),  # 5
        total("Totalt", -75),  # 6 = 1 + 4
    ]
    s = find_structure(rows)
    assert s.parts == {4: (2, 3), 6: (1, 4)}
    assert s.kinds == ("heading", "line", "line", "line", "sum", "heading", "result")
    # Stab and Summa skola are in no group of their own; the total stays under the heading
    # that spans the table (Övrigt, empty, names nothing)
    assert s.groups == ("", "", "Skola", "Skola", "", "", "Verksamhet")


def test_a_subtotal_under_a_heading_that_adds_up_to_nothing_takes_the_headings_units():
    # Skola B lost its minus (40 for −40): no rows add up to −70, so the heading decides: the
    # two schools under it, not Stab above the heading too.
    rows = [
        line("Stab", -5),
        heading("Grundskolor"),
        line("Skola A", -30),
        line("Skola B", 40),
        total("Summa grundskola", -70),
        total("Totalt", -75),  # −5 − 70
    ]
    s = find_structure(rows)
    assert s.parts == {4: (2, 3), 5: (0, 4)}
    assert s.groups[2] == "Grundskolor" and s.groups[3] == "Grundskolor"


def test_the_last_sum_that_adds_up_to_nothing_takes_every_open_row():
    # Totalt −99 is a typing error (−5 − 15 = −20): the last sum takes Stab and Summa A, not
    # Summa A alone as a sum in the middle of a table would.
    rows = [
        line("Stab", -5),
        line("A1", -10),
        line("A2", -5),
        total("Summa A", -15),
        total("Totalt", -99),
    ]
    assert find_structure(rows).parts == {3: (1, 2), 4: (0, 3)}


def test_a_unit_of_zero_stays_in_the_sum_the_layout_gives():
    # Skola A + Skola B alone is −70 too, but the layout's three rows add up as well: kept.
    rows = [line("Ej fördelat", 0), line("Skola A", -30), line("Skola B", -40)]
    rows.append(total("Totalt", -70))
    assert find_structure(rows).parts == {3: (0, 1, 2)}


def test_a_sum_of_one_row_is_found_among_the_rows_above_it():
    # Summa gymnasium is Gymnasiet alone (−50), not Stab + Gymnasiet (−55).
    rows = [line("Stab", -5), line("Gymnasiet", -50), total("Summa gymnasium", -50)]
    rows.append(total("Totalt", -55))
    assert find_structure(rows).parts == {2: (1,), 3: (0, 2)}


def test_a_row_without_a_sum_word_that_adds_up_is_the_sum():
    rows = [line("Nord", -20, -21), line("Syd", -15, -15), line("Förskola", -35, -36)]
    s = find_structure(rows)
    assert s.parts == {2: (0, 1)}
    assert s.kinds == ("line", "line", "result")


def test_two_units_with_the_same_figures_are_two_units():
    s = find_structure([line("Nord", -10, -12), line("Syd", -10, -12)])
    assert s.kinds == ("line", "line")
    assert s.parts == {} and s.total is None


def test_a_subtotal_then_two_group_totals_above_their_lines():
    # Summa intäkter below its lines, then Personal and Lokaler above theirs.
    rows = [
        line("Avgifter", 10, 12),  # 0
        line("Bidrag", 5, 4),  # 1
        total("Summa intäkter", 15, 16),  # 2 = 0 + 1
        line("Personal", -50, -52),  # 3 = 4 + 5
        line("Löner", -40, -41),  # 4
        line("Sociala avgifter", -10, -11),  # 5
        line("Lokaler", -30, -33),  # 6 = 7 + 8
        line("Hyror", -25, -27),  # 7
        line("El", -5, -6),  # 8
    ]
    s = find_structure(rows)
    assert not s.reversed
    assert s.parts == {2: (0, 1), 3: (4, 5), 6: (7, 8)}
    assert s.kinds == ("line", "line", "sum", "sum", "line", "line", "sum", "line", "line")


def test_a_total_first_over_subtotals_below_and_a_group_total_above():
    # Totalt first; Förskola closed by its subtotal below, Fritid's total above its lines.
    rows = [
        total("Totalt", -48, -52),  # 0 = 3 + 4 + 7
        line("Nord", -20, -21),  # 1
        line("Syd", -15, -15),  # 2
        total("Summa förskola", -35, -36),  # 3 = 1 + 2
        line("Fritid", -8, -10),  # 4 = 5 + 6
        line("Fritidsgård", -5, -6),  # 5
        line("Fritidsklubb", -3, -4),  # 6
        line("Stab", -5, -6),  # 7
    ]
    s = find_structure(rows)
    assert not s.reversed  # read top down: every sum adds up that way
    assert s.parts == {0: (3, 4, 7), 3: (1, 2), 4: (5, 6)}
    assert s.kinds == ("result", "line", "line", "sum", "sum", "line", "line", "line")
    assert s.total == 0


def test_a_grand_total_first_under_a_title_heading():
    rows = [
        heading("Kommunstyrelsen"),
        total("Totalt", -65, -66),
        line("Nord", -20, -21),
        line("Syd", -15, -15),
        line("A", -30, -30),
    ]
    s = find_structure(rows)
    assert s.reversed
    assert sorted(s.parts[1]) == [2, 3, 4]
    assert s.total == 1


def test_a_result_of_zero_that_its_lines_miss_keeps_its_lines():
    # Årets resultat printed 0,0 while 100 − 90 = 10: the result takes its two lines (so that
    # the reconciliation reports the gap of 10), not "no rows", which add up to 0 too.
    rows = [line("Intäkter", 100), line("Kostnader", -90)]
    rows.append(total("Årets resultat", 0, result=True))
    s = find_structure(rows)
    assert s.parts == {2: (0, 1)}
    assert not s.reversed
