"""The `klk` command: check a workbook, run a period's report, schedule it, open JupyterLab."""

import argparse
import contextlib
import dataclasses
import json
import math
import os
import re
import sys
from pathlib import Path

from klk_analysis import paths
from klk_analysis.errors import KlkError, UnusableInputError
from klk_analysis.loading import load_workbook
from klk_analysis.organisation import load_organisation
from klk_analysis.periods import Period
from klk_analysis.validation import DEFAULT_TOLERANCE, Finding, count_by_severity, reconcile

LABELS_SV = {"error": "FEL", "warning": "VARNING", "info": "INFO"}
COMMANDS_SV = "check, run, scheduled, demo eller lab"
# What a shell reports for a command that a closed pipe stopped (128 + SIGPIPE).
EXIT_BROKEN_PIPE = 141

# argparse's own messages, in the order tried, and how to say them in Swedish.
ARGPARSE_SV = (
    (r"the following arguments are required: (.+)", "saknar {0}"),
    (r"unrecognized arguments: (.+)", "okänt argument: {0}"),
    (r"ambiguous option: (\S+) could match (.+)", "{0} är tvetydigt, det kan vara {1}"),
    (
        r"argument (.+?): invalid choice: (.+?) \(choose from (.+)\)",
        "{0}: {1} finns inte, välj {2}",
    ),
    (r"argument (.+?): invalid \w+ value: (.+)", "{0}: {1} är inget giltigt värde"),
    (r"argument (.+?): expected .*argument.*", "{0} ska följas av ett värde"),
    (r"argument (.+?): ignored explicit argument (.+)", "{0} tar inget värde (fick {1})"),
    (r"argument (.+?): not allowed with argument (.+)", "{0} går inte att kombinera med {1}"),
    (r"argument (.+?): (.+)", "{0}: {1}"),  # our own type checks, already in Swedish
)


def argparse_sv(message: str) -> str:
    """Say one of argparse's English error messages in Swedish; leave others as they are."""
    for pattern, swedish in ARGPARSE_SV:
        match = re.fullmatch(pattern, message, flags=re.DOTALL)
        if match:
            return swedish.format(*match.groups())
    return message


class SwedishHelpFormatter(argparse.HelpFormatter):
    """argparse's help layout with a Swedish usage line."""

    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        """Add the usage line, headed 'användning:'."""
        super().add_usage(usage, actions, groups, "användning: " if prefix is None else prefix)


class SwedishArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help headings and error messages are Swedish."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", SwedishHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argument"
        self._optionals.title = "flaggor"
        self.add_argument(
            "-h", "--help", action="help", default=argparse.SUPPRESS, help="visa hjälpen"
        )

    def error(self, message: str):
        """Print the usage and the problem in Swedish, then exit with code 2."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {argparse_sv(message)}. Se {self.prog} --help.\n")


def _count(text: str, what: str) -> int:
    if not re.fullmatch(r"\s*\d+\s*", text) or int(text) < 1:
        raise argparse.ArgumentTypeError(
            f"\u201d{text}\u201d är inget heltal större än noll; ange {what}"
        )
    return int(text)


def timeout_seconds(text: str) -> int:
    """Read --timeout: whole seconds, at least 1."""
    return _count(text, "hela sekunder, till exempel 600")


def job_count(text: str) -> int:
    """Read --jobs: how many periods at once, at least 1."""
    return _count(text, "antal perioder samtidigt, till exempel 2")


def tolerance_mnkr(text: str) -> float:
    """Read --tolerance: mnkr, zero or more, with a decimal comma or point."""
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(
            f"\u201d{text}\u201d är inget belopp i mnkr; ange till exempel 0,2"
        )
    return value


def period_text(text: str) -> str:
    """Read a period as YYYY-MM and write it the one way folders are named: 2022-3 → 2022-03."""
    try:
        return str(Period.parse(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def unusable_finding(exc: KlkError) -> dict:
    """Return an unusable input as a finding's plain data, for `klk check --json`."""
    blank = dict.fromkeys(f.name for f in dataclasses.fields(Finding))
    return {**blank, "severity": "error", "check": "unusable", "message": str(exc)}


def _dump(data: dict) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    print()


def _check(args) -> int:
    from klk_analysis.runner import refuse_folder

    try:
        refuse_folder(args.workbook)
        workbook = load_workbook(args.workbook, board=args.board)
        load_organisation(workbook.path)  # the optional organisation sheets must be usable too
    except KlkError as exc:
        if args.json:
            _dump(
                {
                    "file": str(args.workbook),
                    "usable": False,
                    "exit_code": exc.exit_code,
                    "counts": {"error": 1, "warning": 0, "info": 0},
                    "findings": [unusable_finding(exc)],
                }
            )
        raise
    findings = reconcile(workbook, tolerance=args.tolerance)
    counts = count_by_severity(findings)
    code = 1 if counts["error"] else 0
    if args.json:
        _dump(
            {
                "file": str(workbook.path),
                "usable": True,
                "exit_code": code,
                "period": str(workbook.period),
                "board": workbook.board,
                "tolerance": args.tolerance,
                "counts": counts,
                "has_macros": workbook.has_macros,
                "findings": [f.as_dict() for f in findings],
            }
        )
    else:
        print(f"{workbook.path}: {workbook.board}, period {workbook.period}")
        if workbook.has_macros:
            print(
                "INFO: arbetsboken innehåller makron (VBA); de har inte körts, bara värdena lästs."
            )
        for finding in findings:
            print(f"{LABELS_SV[finding.severity]}: {finding.message}")
        print(
            f"{counts['error']} fel, {counts['warning']} varningar, "
            f"{counts['info']} avrundningsdifferenser."
        )
    return code


def _run_options(args) -> dict:
    return {
        "raw": args.raw,
        "outputs": args.outputs,
        "processed": args.processed,
        "board": args.board,
        "tolerance": args.tolerance,
        "timeout": args.timeout,
    }


def _run(args) -> int:
    from klk_analysis import runner

    if args.all or args.current:
        if args.periods:
            raise UnusableInputError("ange perioder, --all eller --current, inte flera av dem.")
        periods = runner.raw_periods(args.raw) if args.all else [runner.latest_period(args.raw)]
        if not periods:
            raise UnusableInputError(f"{args.raw}: inga periodmappar (ÅÅÅÅ-MM) att köra.")
    else:
        periods = list(dict.fromkeys(args.periods))
    if not periods:
        raise UnusableInputError("ange en period (ÅÅÅÅ-MM), flera perioder, --all eller --current.")
    options = _run_options(args)
    if args.input or args.out:
        if len(periods) > 1:
            raise UnusableInputError(
                "--input och --out gäller en period; för flera perioder används --raw och "
                "--outputs."
            )
        out = args.out if args.out else _board_folder(args.input, periods[0], args)
        result = runner.run_period(
            periods[0], workbook=args.input, out_dir=out, say=print, **options
        )
        print(f"klk: {result.message}", file=sys.stdout if result.ok else sys.stderr)
        return result.exit_code
    from klk_analysis import municipality

    options.pop("board")
    results = municipality.run_boards(
        periods, board=args.board, jobs=args.jobs, say=print, **options
    )
    print(runner.summary_table(results))
    return runner.exit_code(results)


def _board_folder(workbook: Path, period: str, args) -> Path | None:
    """Return outputs/PERIOD/<board>/ for a workbook given with --input (None if unreadable)."""
    from klk_analysis.boards import board_slug, identify

    try:
        board = args.board or identify(workbook)
    except KlkError:
        return None  # the run says why the workbook cannot be used
    return Path(args.outputs) / period / board_slug(board)


def _scheduled(args) -> int:
    from klk_analysis import runner

    options = _run_options(args)
    options.pop("raw"), options.pop("outputs")
    code, log = runner.scheduled(args.raw, args.outputs, args.logs, **options)
    print(f"klk scheduled: {'klar' if code == 0 else f'fel (kod {code})'}, logg: {log}")
    return code


def _demo(args) -> int:
    from klk_analysis import demo

    written = demo.write_demo(args.folder, args.period)
    folder = written[0].parent
    print(f"{len(written)} påhittade nämnders arbetsböcker i {folder} (se README.md där).")
    print(f"Kör: klk run {folder.name} --raw {folder.parent}")
    return 0


def _lab(args) -> int:
    from klk_analysis import execution

    execution.ensure_kernel()
    command = execution.lab_command()
    if args.dry_run:
        print(" ".join(command))
        return 0
    os.execv(command[0], command)  # JupyterLab takes over this process and its terminal
    return 0


def _add_reading_options(
    parser: argparse.ArgumentParser,
    tolerance_help: str,
    board_help: str = "nämndens namn (annars från raden 'Summa <nämnd>')",
) -> None:
    parser.add_argument("--board", metavar="NÄMND", help=board_help)
    parser.add_argument(
        "--tolerance",
        metavar="MNKR",
        type=tolerance_mnkr,
        default=DEFAULT_TOLERANCE,
        help=tolerance_help,
    )


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    for option, default, help_text in (
        ("--raw", paths.DATA_RAW, "mappen med perioderna (data/raw)"),
        ("--outputs", paths.OUTPUTS, "mappen för rapporterna (outputs)"),
        ("--processed", paths.DATA_PROCESSED, "mappen för de städade tabellerna (data/processed)"),
    ):
        parser.add_argument(option, metavar="MAPP", type=Path, default=default, help=help_text)
    _add_reading_options(
        parser,
        "avrundningstolerans i mnkr",
        "bara den här nämnden: namnet i valfria versaler eller arbetsbokens filnamn "
        "(med --input: nämndens namn)",
    )
    parser.add_argument(
        "--timeout",
        metavar="SEKUNDER",
        type=timeout_seconds,
        default=600,
        help="längsta tid i hela sekunder för en cell (600)",
    )


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for `klk`."""
    parser = SwedishArgumentParser(prog="klk", description="Ekonomisk rapport för en nämnd.")
    sub = parser.add_subparsers(dest="command", title="kommandon", metavar="KOMMANDO")
    check = sub.add_parser("check", help="läs en arbetsbok och stäm av dess siffror")
    check.add_argument("workbook", metavar="FIL", help="arbetsboken (.xlsx)")
    check.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    _add_reading_options(
        check, "största avrundningsdifferens i mnkr som bara noteras (standard 0,2)"
    )
    check.set_defaults(handler=_check)

    run = sub.add_parser("run", help="gör rapporten för en eller flera perioder")
    run.add_argument(
        "periods", nargs="*", type=period_text, metavar="PERIOD", help="period som 2022-03"
    )
    run.add_argument("--all", action="store_true", help="alla perioder under --raw")
    run.add_argument("--current", action="store_true", help="den senaste perioden under --raw")
    run.add_argument(
        "--input",
        metavar="FIL",
        type=Path,
        help="en enda arbetsbok (annars varje nämnds arbetsbok i data/raw/PERIOD/)",
    )
    run.add_argument(
        "--out", metavar="MAPP", type=Path, help="rapportmappen (annars outputs/PERIOD/NÄMND/)"
    )
    run.add_argument(
        "--jobs",
        metavar="ANTAL",
        type=job_count,
        help="perioder parallellt (standard: antal kärnor)",
    )
    _add_run_options(run)
    run.set_defaults(handler=_run)

    scheduled = sub.add_parser(
        "scheduled", help="kör den senaste perioden obevakat, med en logg i outputs/logs/"
    )
    scheduled.add_argument(
        "--logs", metavar="MAPP", type=Path, help="mappen för loggar (outputs/logs)"
    )
    _add_run_options(scheduled)
    scheduled.set_defaults(handler=_scheduled)

    demo = sub.add_parser("demo", help="skriv en påhittad kommuns arbetsböcker (data/exempel)")
    demo.add_argument("folder", nargs="?", metavar="MAPP", type=Path, help="mappen (data/exempel)")
    demo.add_argument("--period", type=period_text, default="2022-08", help="perioden (2022-08)")
    demo.set_defaults(handler=_demo)

    lab = sub.add_parser("lab", help="öppna JupyterLab på notebooks/ med projektets kärna")
    lab.add_argument("--dry-run", action="store_true", help="skriv bara kommandot")
    lab.set_defaults(handler=_lab)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code: 0 fine, 1 inconsistent, 2 unusable."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.error(f"ange ett kommando: {COMMANDS_SV}")
        code = args.handler(args)
        sys.stdout.flush()  # a reader that has gone away shows here, still inside the try
        return code
    except SystemExit as exc:  # --help, or a usage error already explained on stderr
        return exc.code if isinstance(exc.code, int) else 2
    except KlkError as exc:
        print(f"klk: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("klk: avbruten.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `klk check --json FIL | head`: the reader has what it wanted. Point stdout at devnull
        # so that Python's own flush at exit does not fail again (Python's documented recipe).
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


if __name__ == "__main__":
    sys.exit(main())
