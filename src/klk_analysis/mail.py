"""The report as an email: a short body that Outlook and Gmail show, the full report attached.

The body is multipart/related HTML whose chart is a `cid:` part (Outlook desktop and Gmail web
block `data:` images in a body) beside a plain-text alternative; the attachments are the whole
report, the xlsx tables and the Word document when made. Built from a finished output folder
(`delivery.read_content`), written to `rapport.eml`, sent byte for byte as written.
"""

import mimetypes
import os
import smtplib
import ssl
from dataclasses import replace
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid, parseaddr
from functools import cache
from pathlib import Path

import jinja2

from klk_analysis import formatting, narrative, tables, wording
from klk_analysis.config import MailSettings
from klk_analysis.delivery import (
    MAIL_CHART,
    MAIL_FILE,
    REPORT_FILE,
    WORD_FILE,
    Content,
    read_content,
)
from klk_analysis.errors import KlkError, UnusableInputError
from klk_analysis.processed import staged_file

TABLE_FOLDER = tables.TABLE_FOLDER
# Attached tables get their Swedish names; an unknown file keeps its own.
ATTACHMENT_NAMES = {**wording.TABLE_NAMES, "prognos": "Prognos helår"}
TYPES = {
    ".html": ("text", "html"),
    ".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
}
TIMEOUT_SECONDS = 60


class SendError(KlkError):
    """The message was written but the mail server did not take it."""

    exit_code = 4


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("klk_analysis", "templates/mail"),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def subject(content: Content) -> str:
    """Return the subject: "Kommunstyrelsen – delårsrapport 1, januari–mars 2022"."""
    period = content.period
    name = narrative.report_name(period)
    report = name.lower() if period.month in narrative.REPORT_NAMES else "månadsrapport"
    span = formatting.period_span(period).replace(" \u2013 ", "\u2013")
    return narrative.render(
        "mail_amne.txt.j2", board=content.board, report=report, span=span, year=period.year
    )


def attachments(content: Content) -> list[tuple[Path, str]]:
    """Return the files to attach and their Swedish names: report, tables, Word document."""
    folder, period = content.folder, content.record["period"]
    found = [(folder / REPORT_FILE, f"{content.title}.html")]
    for path in sorted((folder / TABLE_FOLDER).glob("*.xlsx")):
        found.append((path, f"{ATTACHMENT_NAMES.get(path.stem, path.stem)} {period}.xlsx"))
    if (folder / WORD_FILE).is_file():
        found.append((folder / WORD_FILE, f"{content.title}.docx"))
    missing = [str(p) for p, _ in found if not p.is_file()]
    if missing:
        raise UnusableInputError(
            f"{missing[0]} saknas: mappen är ingen färdig rapport. Kör rapporten med klk run."
        )
    return found


def _body_context(content: Content, names: list[str], cid: str | None) -> dict:
    record = content.record
    chart = next((c for c in record["charts"] if c["name"] == MAIL_CHART), None)
    return {
        "subject": subject(content),
        "title": content.title,
        "period_text": record["period_text"],
        "source_file": record["source_file"],
        "key_figures": [
            {"label": f["label"], "value": formatting.signed(f["value"])}
            for f in record["key_figures"]
        ],
        "summary": record["summary"],
        "chart": {**chart, "cid": cid} if chart and cid else None,
        "attachments": names,
    }


def build_message(content: Content, settings: MailSettings | None = None) -> EmailMessage:
    """Return the message: mixed( alternative( text, related( html, chart ) ), attachments )."""
    files = attachments(content)
    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject(content)
    if settings is not None:
        message["From"] = settings.sender
        message["To"] = ", ".join(settings.recipients)
    domain = parseaddr(settings.sender)[1].partition("@")[2] if settings else ""
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=domain or "klk-analysis.invalid")
    chart_png = content.chart_file(MAIL_CHART)
    cid = (
        make_msgid(idstring=MAIL_CHART, domain="klk-analysis.invalid")
        if chart_png.is_file()
        else None
    )
    context = _body_context(content, [name for _, name in files], cid and cid[1:-1])
    environment = _environment()
    message.set_content(environment.get_template("brev.txt.j2").render(**context))
    message.add_alternative(environment.get_template("brev.html.j2").render(**context), "html")
    if cid:
        html_part = message.get_payload()[1]
        html_part.add_related(
            chart_png.read_bytes(),
            "image",
            "png",
            cid=cid,
            filename=f"{MAIL_CHART}.png",
            disposition="inline",
        )
    for path, name in files:
        maintype, subtype = TYPES.get(
            path.suffix,
            tuple((mimetypes.guess_type(path.name)[0] or "application/octet-stream").split("/")),
        )
        message.add_attachment(path.read_bytes(), maintype, subtype, filename=name)
    return message


def write_eml(content: Content, settings: MailSettings | None = None) -> Path:
    """Write the message to the output folder's rapport.eml and return the path."""
    target = content.folder / MAIL_FILE
    data = build_message(content, settings).as_bytes()
    with staged_file(target) as temporary:
        temporary.write_bytes(data)
    return target


def _reply(exc: smtplib.SMTPResponseException) -> str:
    return _reply_pair((exc.smtp_code, exc.smtp_error))


def _password(settings: MailSettings, environ) -> str | None:
    if not settings.username:
        return None
    password = environ.get(settings.password_env)
    if not password:
        raise UnusableInputError(
            f"miljövariabeln {settings.password_env} är inte satt; den ska hålla lösenordet för "
            f"{settings.username} på {settings.host}."
        )
    return password


def _connect(settings: MailSettings) -> smtplib.SMTP:
    if settings.security == "ssl":
        return smtplib.SMTP_SSL(
            settings.host,
            settings.port,
            timeout=TIMEOUT_SECONDS,
            context=ssl.create_default_context(),
        )
    server = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
    if settings.security == "starttls":
        server.starttls(context=ssl.create_default_context())
    return server


def send_eml(path: Path, settings: MailSettings, environ=os.environ) -> None:
    """Send the .eml file byte for byte to the configured recipients, or say why it failed."""
    password = _password(settings, environ)
    data = Path(path).read_bytes()
    server_name = f"e-postservern {settings.host}:{settings.port}"
    keep = f" Brevet ligger kvar i {path}; skicka det för hand eller försök igen."
    sender = parseaddr(settings.sender)[1]
    recipients = [parseaddr(r)[1] for r in settings.recipients]
    try:
        with _connect(settings) as server:
            if password is not None:
                server.login(settings.username, password)
            refused = server.sendmail(sender, recipients, data)
    except smtplib.SMTPAuthenticationError as exc:
        raise SendError(
            f"{server_name} godtog inte inloggningen för {settings.username} ({_reply(exc)}); "
            f"kontrollera lösenordet i miljövariabeln {settings.password_env}.{keep}"
        ) from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise SendError(
            f"{server_name} vägrade ta emot brevet till "
            + formatting.series(f"{r} ({_reply_pair(e)})" for r, e in exc.recipients.items())
            + f".{keep}"
        ) from None
    except smtplib.SMTPSenderRefused as exc:
        raise SendError(
            f"{server_name} vägrade avsändaren {sender} ({_reply(exc)}).{keep}"
        ) from None
    except smtplib.SMTPNotSupportedError:
        raise SendError(
            f"{server_name} erbjuder inte STARTTLS; ändra security i [mail] till \u201dssl\u201d "
            f"eller \u201dnone\u201d om servern kräver det.{keep}"
        ) from None
    except smtplib.SMTPResponseException as exc:
        raise SendError(f"{server_name} vägrade brevet ({_reply(exc)}).{keep}") from None
    except ssl.SSLError as exc:
        raise SendError(
            f"den krypterade förbindelsen med {server_name} misslyckades ({exc.reason}).{keep}"
        ) from None
    except ConnectionRefusedError:
        raise SendError(
            f"{server_name} nekade anslutningen; servern svarar inte på den porten.{keep}"
        ) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(f"kunde inte ansluta till {server_name} ({exc}).{keep}") from None
    if refused:
        raise SendError(
            f"{server_name} tog emot brevet men vägrade "
            + formatting.series(f"{r} ({_reply_pair(e)})" for r, e in refused.items())
            + f".{keep}"
        )


def _reply_pair(pair: tuple[int, bytes]) -> str:
    code, text = pair
    return f"{code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}".strip()


def send_run(result, settings: MailSettings):
    """After a successful run: write its rapport.eml and send it; a failure is the run's result."""
    try:
        path = write_eml(read_content(result.out_dir), settings)
        send_eml(path, settings)
    except KlkError as exc:
        return replace(
            result,
            exit_code=exc.exit_code,
            message=f"{result.message}; brevet skickades inte: {exc}",
        )
    return replace(
        result, message=f"{result.message}; skickad till {', '.join(settings.recipients)}"
    )
