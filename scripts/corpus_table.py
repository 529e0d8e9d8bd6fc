"""Build the corpus of bad workbooks and print what `klk check` answers for each (a Markdown table).

Run from the repository: .venv/bin/python scripts/corpus_table.py
Each case runs `klk check` in its own process, so the exit code and stderr are the real ones.
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from klk_analysis.paths import ROOT

sys.path.insert(0, str(ROOT))  # the corpus lives with the tests

from tests.badbooks import CASES


def main() -> int:
    """Print the corpus table; return 1 if any case got another answer than expected."""
    print("| case | file | exit | expected | s | first line of the message |")
    print("|---|---|---|---|---|---|")
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for number, case in enumerate(CASES, 1):
            folder = Path(tmp) / str(number)
            folder.mkdir()
            path = case.build(folder)
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "klk_analysis.cli", "check", str(path)],
                capture_output=True,
                text=True,
                check=False,
            )
            seconds = time.perf_counter() - start
            output = (done.stderr or done.stdout).replace(str(folder) + "/", "")
            lines = [line for line in output.splitlines() if line.strip()]
            if done.returncode == 0:
                line = next((x for x in lines if x.startswith("INFO: arbetsboken")), lines[-1])
            else:
                line = next((x for x in lines if x.startswith(("klk:", "FEL"))), lines[0])
            ok = done.returncode == case.exit_code and "Traceback" not in output
            failures += not ok
            line = line.replace("|", "\\|")
            print(
                f"| {case.name} | {path.name} | {done.returncode} | {case.exit_code}"
                f"{'' if ok else ' MISMATCH'} | {seconds:.1f} | {line} |"
            )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
