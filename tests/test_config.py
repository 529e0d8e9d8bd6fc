import pytest

from klk_analysis import config
from klk_analysis.errors import UnusableInputError

MAIL = """
[mail]
host = "smtp.kommun.example"
security = "ssl"
sender = "Ekonomi <ekonomi@kommun.example>"
recipients = ["ks@kommun.example", "Åsa Öberg <asa@kommun.example>"]
username = "ekonomi"
password_env = "KLK_SMTP_LOSENORD"
"""


def write(tmp_path, text):
    path = tmp_path / "klk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_mail_settings_from_klk_toml(tmp_path):
    settings = config.mail_settings(config.load_config(write(tmp_path, MAIL)))
    assert settings.host == "smtp.kommun.example"
    assert (settings.security, settings.port) == ("ssl", 465)  # the port SMTPS uses
    assert settings.recipients == ("ks@kommun.example", "Åsa Öberg <asa@kommun.example>")
    assert settings.password_env == "KLK_SMTP_LOSENORD"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('security = "ssl"', 'security = "tls"'), r"\[mail\] security: hittade 'tls'"),
        (('security = "ssl"', 'security = "ssl"\nport = "25"'), r"port: hittade '25'"),
        (('recipients = ["ks@kommun.example", ', 'recipients = ["ks", '), "e-postadresser"),
        (('password_env = "KLK_SMTP_LOSENORD"', ""), "miljövariabel som håller lösenordet"),
        (('host = "smtp.kommun.example"', ""), r"\[mail\] host: hittade ingenting"),
    ],
)
def test_a_wrong_mail_entry_is_named_with_what_was_expected(tmp_path, change, message):
    path = write(tmp_path, MAIL.replace(*change))
    with pytest.raises(UnusableInputError, match=message) as caught:
        config.mail_settings(config.load_config(path))
    assert str(path) in str(caught.value)


def test_missing_section_and_broken_toml_are_sentences(tmp_path):
    with pytest.raises(UnusableInputError, match=r"avsnittet \[mail\] saknas"):
        config.mail_settings(config.load_config(write(tmp_path, "[word]\n")))
    with pytest.raises(UnusableInputError, match="inte giltig TOML"):
        config.load_config(write(tmp_path, "[mail\nhost="))
    with pytest.raises(UnusableInputError, match="finns inte"):
        config.load_config(tmp_path / "saknas.toml")


def test_word_template_path_is_relative_to_the_project_root(tmp_path):
    settings = config.word_settings(
        config.load_config(write(tmp_path, '[word]\nmall = "mallar/kommun.docx"\n'))
    )
    assert settings["mall"] == config.paths.ROOT / "mallar" / "kommun.docx"
    assert settings["tabellstil"] is None
