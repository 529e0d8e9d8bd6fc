import json

import pytest

from klk_analysis import delivery
from klk_analysis.errors import UnusableInputError


@pytest.mark.slow
def test_the_notebook_path_records_the_content_the_mail_and_word_need(finished_folder):
    content = delivery.read_content(finished_folder)
    record = content.record
    assert (content.board, str(content.period)) == ("Kommunstyrelsen", "2022-03")
    assert content.title == "Kommunstyrelsens delårsrapport 1, 2022"
    assert record["period_text"] == "januari \u2013 mars 2022"
    # The source document: "Utfall för perioden januari – mars uppgår till +12,1 miljoner kronor
    # ... Prognos på helår uppgår till +3,0 miljoner kronor."
    assert record["key_figures"] == [
        {"label": "Resultat januari \u2013 mars 2022", "value": pytest.approx(12.1)},
        {"label": "Prognos helår 2022", "value": pytest.approx(3.0)},
    ]
    assert "+12,1 miljoner kronor" in record["summary"][1]
    rr, dr = record["tables"]
    assert rr["header"][:2] == ["Konto", "Utfall Mar 2021"]
    personal = next(r for r in rr["rows"] if r["label"] == "Personalkostnader")
    assert personal == {
        "label": "Personalkostnader",
        "kind": "line",
        "values": pytest.approx([-28.8, -29.1, -32.0, 2.9, -118.5, 2.9]),
    }
    assert dr["rows"][-1]["kind"] != "line"
    names = [c["name"] for c in record["charts"]]
    assert names[0] == "budgetavvikelse_per_enhet"
    assert all(content.chart_file(n).is_file() for n in names)
    assert all(c["alt"] and c["title"] for c in record["charts"])


def test_a_folder_without_a_finished_report_is_named(tmp_path):
    with pytest.raises(UnusableInputError, match="mappen finns inte"):
        delivery.read_content(tmp_path / "2022-03")
    with pytest.raises(UnusableInputError, match=r"innehall\.json saknas.*klk run"):
        delivery.read_content(tmp_path)
    (tmp_path / "innehall.json").write_text("{inte json", encoding="utf-8")
    with pytest.raises(UnusableInputError, match="går inte att läsa"):
        delivery.read_content(tmp_path)
    (tmp_path / "innehall.json").write_text(json.dumps({"period": "2022-03"}), encoding="utf-8")
    with pytest.raises(UnusableInputError, match="saknar board, title"):
        delivery.read_content(tmp_path)
