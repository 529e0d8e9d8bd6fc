"""The README's commands, CI and the two dependency lists promise the same things."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[]", requirement.strip(), maxsplit=1)[0].lower()


def test_conda_and_pip_list_the_same_dependencies():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert conda == pip
    assert {"-e ."} <= set(next(d for d in env["dependencies"] if isinstance(d, dict))["pip"])


def test_ci_runs_the_readmes_test_command():
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"```bash\n(.+?)\n```", readme)
    test_command = next(c for c in commands if "pytest" in c)
    assert test_command in (ROOT / ".ci" / "run").read_text()


def test_the_windows_commands_are_the_linux_ones_translated():
    readme = (ROOT / "README.md").read_text()
    linux = [c for c in re.findall(r"```bash\n(.+?)\n```", readme) if c.startswith("python3")]
    windows = re.findall(r"```powershell\n(.+?)\n```", readme, flags=re.DOTALL)
    assert len(linux) == 2

    def translated(command: str) -> str:
        # One line per step (PowerShell 5.1 has no &&); py picks the version, Scripts for bin.
        steps = command.split(" && ")
        return "\n".join(
            s.replace("python3 ", "py -3.11 ", 1).replace(".venv/bin/", ".venv\\Scripts\\")
            for s in steps
        )

    assert [translated(c) for c in linux] == windows[:2]
