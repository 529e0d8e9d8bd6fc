"""The project's configuration file, klk.toml at the project root: mail server and Word template.

Passwords never stand in it: [mail] names the environment variable that holds one.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from klk_analysis import paths
from klk_analysis.errors import UnusableInputError

CONFIG_FILE = paths.ROOT / "klk.toml"
SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


@dataclass(frozen=True)
class MailSettings:
    """Where and how to send: the SMTP server, the sender, the recipients and the login."""

    host: str
    port: int
    security: str
    sender: str
    recipients: tuple[str, ...]
    username: str | None = None
    password_env: str | None = None


def load_config(path: Path | None = None) -> dict:
    """Read klk.toml (or the file given); a missing default file is an empty configuration."""
    if path is None:
        path = CONFIG_FILE
        if not path.is_file():
            return {}
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            return {**tomllib.load(handle), "_path": str(path)}
    except FileNotFoundError:
        raise UnusableInputError(f"{path}: konfigurationsfilen finns inte.") from None
    except tomllib.TOMLDecodeError as exc:
        raise UnusableInputError(
            f"{path}: konfigurationsfilen är inte giltig TOML ({exc})."
        ) from None


def _where(config: dict, section: str, key: str) -> str:
    return f"{config.get('_path', CONFIG_FILE)}, [{section}] {key}"


def _text(config: dict, section: str, key: str, required: bool = True) -> str | None:
    value = config.get(section, {}).get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        found = "ingenting" if value is None else repr(value)
        raise UnusableInputError(
            f"{_where(config, section, key)}: hittade {found}, förväntade en text."
        )
    return value.strip()


def mail_settings(config: dict) -> MailSettings:
    """Return the [mail] section checked, or say which entry is missing or wrong."""
    if "mail" not in config:
        where = config.get("_path", CONFIG_FILE)
        raise UnusableInputError(
            f"{where}: avsnittet [mail] saknas. Ange host, port, security, sender, recipients "
            "och (för inloggning) username och password_env; se docs/e-post-och-word.md."
        )
    section = config["mail"]
    security = (_text(config, "mail", "security", required=False) or "starttls").lower()
    if security not in SECURITY:
        raise UnusableInputError(
            f"{_where(config, 'mail', 'security')}: hittade {security!r}, förväntade "
            "\u201dstarttls\u201d, \u201dssl\u201d eller \u201dnone\u201d."
        )
    port = section.get("port", DEFAULT_PORTS[security])
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise UnusableInputError(
            f"{_where(config, 'mail', 'port')}: hittade {port!r}, förväntade ett portnummer "
            "som 587."
        )
    recipients = section.get("recipients")
    if isinstance(recipients, str):
        recipients = [recipients]
    if not recipients or not all(isinstance(r, str) and "@" in r for r in recipients):
        raise UnusableInputError(
            f"{_where(config, 'mail', 'recipients')}: hittade {recipients!r}, förväntade en "
            'lista med e-postadresser som ["ekonomi@kommun.se"].'
        )
    username = _text(config, "mail", "username", required=False)
    password_env = _text(config, "mail", "password_env", required=False)
    if username and not password_env:
        raise UnusableInputError(
            f"{_where(config, 'mail', 'password_env')}: saknas, förväntade namnet på den "
            f"miljövariabel som håller lösenordet för {username} (aldrig lösenordet självt)."
        )
    return MailSettings(
        host=_text(config, "mail", "host"),
        port=port,
        security=security,
        sender=_text(config, "mail", "sender"),
        recipients=tuple(r.strip() for r in recipients),
        username=username,
        password_env=password_env,
    )


def word_settings(config: dict) -> dict:
    """Return [word]: the template (mall, relative to the project root) and the table style."""
    mall = _text(config, "word", "mall", required=False)
    return {
        "mall": paths.resolve(mall) if mall else None,
        "tabellstil": _text(config, "word", "tabellstil", required=False),
    }
