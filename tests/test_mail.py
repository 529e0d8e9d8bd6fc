import email
import json
import re
import shutil
import socket
from email import policy

import pytest

from klk_analysis import delivery, mail
from klk_analysis.cli import main
from klk_analysis.config import MailSettings

aiosmtpd = pytest.importorskip("aiosmtpd", reason="aiosmtpd saknas (pip install -e '.[dev]')")
from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult  # noqa: E402

SUBJECT = "Kommunstyrelsen – delårsrapport 1, januari–mars 2022"
PASSWORD_ENV = "KLK_TEST_SMTP_LOSENORD"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """An SMTP handler that keeps what arrives and refuses one recipient as a bounce."""

    def __init__(self):
        self.envelopes = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("finnsinte@"):
            return "550 5.1.1 Mottagaren finns inte"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


def login(server, session, envelope, mechanism, auth_data):
    success = (auth_data.login, auth_data.password) == (b"ekonomi", b"hemligt")
    # handled=False: the server answers 535 itself (handled=True would leave the client waiting).
    return AuthResult(success=success, handled=False)


@pytest.fixture
def smtp():
    box = Mailbox()
    controller = Controller(
        box, hostname="127.0.0.1", port=free_port(), authenticator=login, auth_require_tls=False
    )
    controller.start()
    yield box, controller.port
    controller.stop()


def settings(port, **changes) -> MailSettings:
    values = {
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "sender": "Ekonomienheten <ekonomi@kommun.example>",
        "recipients": ("Åsa Öberg <asa@kommun.example>", "ks@kommun.example"),
        "username": "ekonomi",
        "password_env": PASSWORD_ENV,
    }
    return MailSettings(**{**values, **changes})


def config_file(tmp_path, port, recipients='["asa@kommun.example"]'):
    path = tmp_path / "klk.toml"
    path.write_text(
        f'[mail]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
        f'sender = "ekonomi@kommun.example"\nrecipients = {recipients}\n'
        f'username = "ekonomi"\npassword_env = "{PASSWORD_ENV}"\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def eml(finished_folder, tmp_path_factory):
    folder = tmp_path_factory.mktemp("brev") / "2022-03"
    shutil.copytree(finished_folder, folder, ignore=shutil.ignore_patterns("rapport.docx"))
    content = delivery.read_content(folder)
    path = mail.write_eml(content, settings(25))
    return path, email.message_from_bytes(path.read_bytes(), policy=policy.default)


def test_message_is_mixed_alternative_related_with_subject_from_the_template(eml):
    _, message = eml
    assert message["Subject"] == SUBJECT
    assert message.get_content_type() == "multipart/mixed"
    body = message.get_payload()[0]
    assert body.get_content_type() == "multipart/alternative"
    text, related = body.get_payload()
    assert text.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    assert [p.get_content_type() for p in related.get_payload()] == ["text/html", "image/png"]


def test_swedish_characters_are_encoded_as_rfc_2047_and_2231(eml):
    path, message = eml
    raw = path.read_bytes()
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert head.isascii()
    assert b"Subject: Kommunstyrelsen =?utf-8?q?=E2=80=93_del=C3=A5rsrapport_1" in head
    assert b"filename*=utf-8''Resultatr%C3%A4kning%202022-03.xlsx" in raw
    assert message["To"].addresses[0].display_name == "Åsa Öberg"


def test_every_image_in_the_body_is_a_cid_part_and_the_body_is_small(eml):
    _, message = eml
    related = message.get_payload()[0].get_payload()[1]
    html_part, *images = related.get_payload()
    body = html_part.get_content()
    sources = re.findall(r'<img[^>]*\ssrc="([^"]*)"', body)
    ids = {p["Content-ID"].strip("<>") for p in images}
    assert sources and all(s.startswith("cid:") for s in sources)
    assert {s[4:] for s in sources} == ids
    assert "data:" not in body
    assert len(html_part.get_payload(decode=True)) < 100_000
    assert re.search(r'<img [^>]*alt="Budgetavvikelse per enhet', body)
    # The two key figures of the source document and its summary sentence.
    assert "+12,1&nbsp;mnkr" in body and "+3,0&nbsp;mnkr" in body
    assert "uppgår till +12,1 miljoner kronor" in body
    text = message.get_payload()[0].get_payload()[0].get_content()
    assert "Resultat januari – mars 2022: +12,1 mnkr" in text


def test_attachments_have_their_swedish_names(eml):
    _, message = eml
    names = [p.get_filename() for p in message.iter_attachments()]
    assert names == [
        "Kommunstyrelsens delårsrapport 1, 2022.html",
        "Driftredovisning 2022-03.xlsx",
        "Resultaträkning 2022-03.xlsx",
    ]
    html_attachment = next(message.iter_attachments())
    assert html_attachment.get_content_type() == "text/html"
    assert b"Hela rapporten." in html_attachment.get_payload(decode=True)


def test_send_delivers_the_eml_byte_for_byte(smtp, eml, monkeypatch):
    box, port = smtp
    path, _ = eml
    monkeypatch.setenv(PASSWORD_ENV, "hemligt")
    mail.send_eml(path, settings(port))
    (envelope,) = box.envelopes
    assert envelope.mail_from == "ekonomi@kommun.example"
    assert envelope.rcpt_tos == ["asa@kommun.example", "ks@kommun.example"]
    assert envelope.original_content == path.read_bytes()


def test_command_line_writes_then_sends(smtp, finished_folder, tmp_path, monkeypatch, capsys):
    box, port = smtp
    monkeypatch.setenv(PASSWORD_ENV, "hemligt")
    code = main(
        [
            "mail",
            "2022-03",
            "--out",
            str(finished_folder),
            "--send",
            "--config",
            str(config_file(tmp_path, port)),
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert "skickade rapport.eml till asa@kommun.example" in capsys.readouterr().out
    assert box.envelopes[0].original_content == (finished_folder / "rapport.eml").read_bytes()


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("refused", r"127\.0\.0\.1:\d+ nekade anslutningen"),
        ("login", r"godtog inte inloggningen för ekonomi \(535 .*miljövariabeln"),
        ("recipient", r"vägrade ta emot brevet till finnsinte@kommun\.example \(550 5\.1\.1"),
    ],
)
def test_failures_are_a_swedish_sentence_exit_4_and_the_eml_stays(
    case, message, smtp, finished_folder, tmp_path, monkeypatch, capsys
):
    box, port = smtp
    monkeypatch.setenv(PASSWORD_ENV, "fel" if case == "login" else "hemligt")
    recipients = '["finnsinte@kommun.example"]' if case == "recipient" else '["a@kommun.example"]'
    cfg = config_file(tmp_path, free_port() if case == "refused" else port, recipients)
    code = main(["mail", "2022-03", "--out", str(finished_folder), "--send", "--config", str(cfg)])
    err = capsys.readouterr().err
    assert code == 4
    assert re.search(message, err), err
    assert f"Brevet ligger kvar i {finished_folder / 'rapport.eml'}" in err
    assert "Traceback" not in err
    assert (finished_folder / "rapport.eml").is_file()
    assert box.envelopes == []


def test_a_missing_password_is_named_before_connecting(finished_folder, tmp_path, monkeypatch):
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    cfg = config_file(tmp_path, free_port())
    assert (
        main(["mail", "2022-03", "--out", str(finished_folder), "--send", "--config", str(cfg)])
        == 2
    )


def test_without_send_no_configuration_is_needed(finished_folder, tmp_path, capsys):
    assert main(["mail", "2022-03", "--outputs", str(finished_folder.parent)]) == 0
    assert "rapport.eml" in capsys.readouterr().out


def test_a_folder_without_a_report_says_so(tmp_path, capsys):
    assert main(["mail", "2022-03", "--outputs", str(tmp_path)]) == 2
    assert "Kör först rapporten" in capsys.readouterr().err


def test_a_period_of_several_boards_needs_board_and_takes_it_in_any_case(
    finished_folder, tmp_path, capsys
):
    period = tmp_path / "out" / "2022-03"
    shutil.copytree(finished_folder, period / "kommunstyrelsen")
    shutil.copytree(finished_folder, period / "tekniska-namnden")
    for made in [*period.glob("*/rapport.eml"), *period.glob("*/rapport.docx")]:
        made.unlink()  # the shared fixture's folder may hold what other tests made
    record = json.loads((period / "tekniska-namnden" / "innehall.json").read_text("utf-8"))
    record["board"] = "Tekniska nämnden"
    (period / "tekniska-namnden" / "innehall.json").write_text(
        json.dumps(record, ensure_ascii=False), encoding="utf-8"
    )
    argv = ["mail", "2022-03", "--outputs", str(tmp_path / "out")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "flera nämnders rapporter" in err and "--board" in err
    assert "Kommunstyrelsen (kommunstyrelsen), Tekniska nämnden (tekniska-namnden)" in err
    assert not list(period.glob("*/rapport.eml"))
    assert main([*argv, "--board", "TEKNISKA NÄMNDEN"]) == 0
    assert [p.parent.name for p in period.glob("*/rapport.eml")] == ["tekniska-namnden"]
    assert main([*argv, "--board", "gatunämnden"]) == 2
    assert "ingen nämnd heter \u201dgatunämnden\u201d" in capsys.readouterr().err
    word = ["word", "2022-03", "--outputs", str(tmp_path / "out"), "--board", "kommunstyrelsen"]
    assert main(word) == 0
    assert (period / "kommunstyrelsen" / "rapport.docx").is_file()
    assert not (period / "tekniska-namnden" / "rapport.docx").exists()


def scheduled_args(tmp_path, cfg):
    return [
        "scheduled",
        "--send",
        "--config",
        str(cfg),
        "--raw",
        str(tmp_path / "raw"),
        "--outputs",
        str(tmp_path / "out"),
        "--processed",
        str(tmp_path / "processed"),
    ]


@pytest.mark.slow
def test_scheduled_never_sends_after_a_failed_run(smtp, tmp_path, monkeypatch):
    box, port = smtp
    monkeypatch.setenv(PASSWORD_ENV, "hemligt")
    (tmp_path / "raw" / "2022-03").mkdir(parents=True)
    (tmp_path / "raw" / "2022-03" / "trasig.xlsx").write_bytes(b"")
    assert main(scheduled_args(tmp_path, config_file(tmp_path, port))) == 2
    assert box.envelopes == []
    # Only the compilation, listing the unreadable workbook: no board's folder, nothing mailed.
    period = tmp_path / "out" / "2022-03"
    assert sorted(p.name for p in period.iterdir() if not p.name.startswith(".")) == [
        "sammanstallning.html",
        "sammanstallning.xlsx",
    ]


@pytest.mark.slow
def test_scheduled_sends_after_a_successful_run(smtp, tmp_path, monkeypatch, capsys):
    from tests.workbooks import SHIPPED

    box, port = smtp
    monkeypatch.setenv(PASSWORD_ENV, "hemligt")
    (tmp_path / "raw" / "2022-03").mkdir(parents=True)
    shutil.copy(SHIPPED, tmp_path / "raw" / "2022-03")
    assert main(scheduled_args(tmp_path, config_file(tmp_path, port))) == 0, capsys.readouterr()
    eml = tmp_path / "out" / "2022-03" / "kommunstyrelsen" / "rapport.eml"
    (envelope,) = box.envelopes
    assert envelope.original_content == eml.read_bytes()
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    names = [p.get_filename() for p in message.iter_attachments()]
    assert "Kommunstyrelsens delårsrapport 1, 2022.docx" in names
    assert "Prognos helår 2022-03.xlsx" in names
    body = message.get_payload()[0].get_payload()[1].get_payload()[0]
    assert len(body.get_payload(decode=True)) < 100_000
    log = next((tmp_path / "out" / "logs").glob("2022-03-*.log")).read_text("utf-8")
    assert "skickad till asa@kommun.example" in log


def test_hostile_unit_names_stay_text_in_the_mail_and_the_document(hostile_run):
    import docx

    path = mail.write_eml(delivery.read_content(hostile_run))
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    body = message.get_payload()[0].get_payload()[1].get_payload()[0].get_content()
    assert "<script" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body  # in the chart's text alternative
    labels = {r.cells[0].text for r in docx.Document(hostile_run / "rapport.docx").tables[1].rows}
    assert "<script>alert(1)</script>" in labels
