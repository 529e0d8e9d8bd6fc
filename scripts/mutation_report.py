"""Mutation testing per module: each module against its own test module, a score per module.

`make mutation` runs this. The modules are `only_mutate` in pyproject.toml's [tool.mutmut]; the
tests of src/klk_analysis/NAME.py are tests/test_NAME.py. Each module gets a folder of its own,
mutants/NAME/, holding a copy of the project (src, tests and `also_copy`) and a pyproject.toml
whose [tool.mutmut] mutates that module alone and runs that test module alone, so a mutant
counts as killed only when the module's own tests catch it (not a test of another module that
happens to call it). mutmut then makes its mutated copy in mutants/NAME/mutants/.

Mutants judged equivalent (they change nothing a caller can observe) are listed in
docs/mutation.md as "- `mutant name`: reason"; they are left out of the score, and a listed
mutant that no longer survives is reported, so that the list stays true.

    python scripts/mutation_report.py            # every module
    python scripts/mutation_report.py numbers    # one or more modules by name
    python scripts/mutation_report.py --survivors   # also list the survivors' diffs
    python scripts/mutation_report.py --retest      # after new tests: rerun the survivors only

Afterwards `cd mutants/numbers && mutmut show NAME` (or `mutmut browse`) shows a mutant.
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EQUIVALENTS = ROOT / "docs" / "mutation.md"
TARGET = 95.0
KILLED = {"killed", "timeout", "caught by type check"}


def settings() -> dict:
    """Return pyproject.toml's [tool.mutmut]."""
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]


def modules(config: dict) -> dict[str, Path]:
    """Map each mutated module's name to its source path (relative to the project root)."""
    return {Path(p).stem: Path(p) for p in config["only_mutate"]}


def equivalents() -> dict[str, str]:
    """Return the mutants docs/mutation.md judges equivalent, with the reason."""
    if not EQUIVALENTS.is_file():
        return {}
    found = re.findall(r"^- `([\w.]+__mutmut_\d+)`: (.+)$", EQUIVALENTS.read_text("utf-8"), re.M)
    return dict(found)


def _toml_list(values) -> str:
    return json.dumps([str(v) for v in values], ensure_ascii=False)


def prepare(name: str, source: Path, config: dict) -> Path:
    """Copy the project into mutants/NAME/ with a [tool.mutmut] for that module alone."""
    folder = ROOT / "mutants" / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
    for part in [*config["source_paths"], "tests", *config.get("also_copy", [])]:
        shutil.copytree(ROOT / part, folder / part, ignore=ignore)
    tests = ROOT / "tests" / f"test_{name}.py"
    if not tests.is_file():
        raise SystemExit(f"{source}: testmodulen {tests.relative_to(ROOT)} saknas")
    options = {**config, "only_mutate": [str(source)], "tests_dir": None}
    options["pytest_add_cli_args_test_selection"] = [str(tests.relative_to(ROOT))]
    lines = ["[tool.mutmut]"]
    for key, value in options.items():
        if value is None:
            continue
        lines.append(
            f"{key} = {_toml_list(value) if isinstance(value, list) else json.dumps(value)}"
        )
    (folder / "pyproject.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def mutmut(folder: Path, *args: str, quiet: bool = False) -> str:
    """Run mutmut in a module's folder; return what it printed."""
    done = subprocess.run(
        [sys.executable, "-m", "mutmut", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 and not quiet:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"mutmut {' '.join(args)} misslyckades i {folder} ({done.returncode})")
    return done.stdout


def statuses(folder: Path) -> dict[str, str]:
    """Return every mutant's status: killed, survived, no tests, timeout, …"""
    found = re.findall(
        r"^\s+(\S+__mutmut_\d+): (.+)$", mutmut(folder, "results", "--all", "true"), re.M
    )
    return {name: status.strip() for name, status in found}


def retest(name: str, source: Path, config: dict) -> Path:
    """Copy the current tests into a module's earlier run and rerun the mutants that lived."""
    folder = ROOT / "mutants" / name
    if not (folder / "mutants").is_dir():
        return prepare(name, source, config)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
    for target in (folder / "tests", folder / "mutants" / "tests"):
        shutil.copytree(ROOT / "tests", target, ignore=ignore, dirs_exist_ok=True)
    return folder


def run_module(name, source, config, known, show, again=False) -> dict:
    """Run mutmut on one module; return its counts and survivors."""
    started = time.monotonic()
    folder = retest(name, source, config) if again else prepare(name, source, config)
    lived = [m for m, s in statuses(folder).items() if s not in KILLED] if again else []
    if not again or not (folder / "mutants").is_dir():
        mutmut(folder, "run")
    elif lived:
        mutmut(folder, "run", *lived)
    result = statuses(folder)
    seconds = time.monotonic() - started
    judged = {m for m in result if m in known}
    counted = {m: s for m, s in result.items() if m not in judged}
    killed = sum(s in KILLED for s in counted.values())
    survivors = sorted(m for m, s in counted.items() if s not in KILLED)
    stale = sorted(m for m in judged if result[m] in KILLED)
    if show:
        for mutant in survivors:
            print(mutmut(folder, "show", mutant, quiet=True))
    return {
        "module": name,
        "killed": killed,
        "total": len(counted),
        "equivalent": len(judged) - len(stale),
        "survivors": [f"{m} ({counted[m]})" for m in survivors],
        "stale": stale,
        "seconds": seconds,
    }


def main(argv=None) -> int:
    """Run the modules asked for (all by default) and print a score per module."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="moduler (numbers, periods, …); alla om inga")
    parser.add_argument("--survivors", action="store_true", help="visa de överlevandes diff")
    parser.add_argument(
        "--retest", action="store_true", help="kör bara om de överlevande, med dagens tester"
    )
    args = parser.parse_args(argv)
    config = settings()
    every = modules(config)
    unknown = [n for n in args.names if n not in every]
    if unknown:
        parser.error(f"okänd modul {', '.join(unknown)}; välj bland {', '.join(every)}")
    known = equivalents()
    rows = [run_module(n, every[n], config, known, args.survivors) for n in (args.names or every)]
    print(f"\n{'modul':<12} {'dödade':>13} {'andel':>7} {'ekvivalenta':>12} {'tid':>7}")
    for r in rows:
        share = 100.0 * r["killed"] / r["total"] if r["total"] else 100.0
        r["share"] = share
        print(
            f"{r['module']:<12} {r['killed']:>6}/{r['total']:<6} {share:>6.1f}% "
            f"{r['equivalent']:>12} {r['seconds']:>6.0f}s"
        )
    for r in rows:
        for mutant in r["survivors"]:
            print(f"överlever: {mutant}")
        for mutant in r["stale"]:
            print(f"dödas nu, stryk ur docs/mutation.md: {mutant}")
    low = [r["module"] for r in rows if r["share"] < TARGET]
    if low:
        print(f"under {TARGET:.0f} %: {', '.join(low)}")
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main())
