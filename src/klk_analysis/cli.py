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

# Only light modules here: `klk run` starts its kernel before pandas and openpyxl are imported.
from klk_analysis import console, execution, paths, vocabulary, wording
from klk_analysis.errors import KlkError, UnusableInputError
from klk_analysis.findings import DEFAULT_TOLERANCE, Finding
from klk_analysis.periods import Period

COMMANDS_SV = "check, run, scheduled, demo, mail, word eller lab"
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
    text = json.dumps(data, ensure_ascii=False, indent=2)
    if not console.encodes_losslessly(text, sys.stdout):
        # A console without å or − gets \u escapes: JSON is read by programs, which need it exact.
        text = json.dumps(data, ensure_ascii=True, indent=2)
    print(text)


def use_vocabulary(path: str | None) -> None:
    """Use the user's vocabulary file here and in the notebooks' kernels (they inherit it)."""
    if path:
        vocabulary.load(path)  # refuse a missing or broken file before anything runs
        os.environ[vocabulary.ENVIRONMENT] = str(paths.resolve(path))


def _check(args) -> int:
    from klk_analysis import readout
    from klk_analysis.runner import refuse_folder
    from klk_analysis.source import read_source
    from klk_analysis.validation import count_by_severity, reconcile

    try:
        refuse_folder(args.workbook)
        use_vocabulary(args.vocabulary)
        # Every sheet the report reads, organisation sheets and history too, must be usable.
        workbook = read_source(args.workbook, board=args.board).workbook
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
    if args.visa and not args.json:
        print(readout.describe_text(workbook))
        print()
    if args.json:
        _dump(
            {
                **({"läsning": readout.describe(workbook)} if args.visa else {}),
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
            print(f"{wording.SEVERITY[finding.severity]}: {finding.message}")
        rounding = sum(f.severity == "info" and f.computed is not None for f in findings)
        others = counts["info"] - rounding
        print(
            f"{counts['error']} fel, {counts['warning']} varningar, "
            f"{rounding} avrundningsdifferenser"
            + (f", {others} {'notering' if others == 1 else 'noteringar'}" if others else "")
            + "."
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


def _one_report(args) -> bool:
    """Say, without opening anything, whether this `klk run` makes one report in this process."""
    if args.input or args.out:
        return True
    if args.all or args.current or len(set(args.periods)) != 1 or args.board:
        return bool(args.board) and len(set(args.periods)) == 1
    folder = Path(args.raw) / args.periods[0]
    return folder.is_dir() and len(paths.workbooks_in(folder)) == 1


def _run(args) -> int:
    use_vocabulary(args.vocabulary)  # before any kernel starts: the kernels inherit it
    if _one_report(args):
        # Its kernel starts now, while this process imports pandas and reads the workbook.
        execution.start_spare()
    try:
        return _run_started(args)
    finally:
        execution.close_spare()


def _run_started(args) -> int:
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
            periods[0],
            workbook=args.input,
            out_dir=out,
            register=args.register,
            say=print,
            **options,
        )
        print(f"klk: {result.message}", file=sys.stdout if result.ok else sys.stderr)
        return result.exit_code
    from klk_analysis import municipality

    options.pop("board")
    results = municipality.run_boards(
        periods, board=args.board, jobs=args.jobs, say=print, **options
    )
    if len(results) == 1 and not results[0].board:  # the period itself: no folder, no workbook
        print(f"klk: {results[0].message}", file=sys.stderr)
        return results[0].exit_code
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
    after = _sender(args.config) if args.send else None  # a broken [mail] stops before the run
    code, log = runner.scheduled(args.raw, args.outputs, args.logs, after=after, **options)
    print(f"klk scheduled: {'klar' if code == 0 else f'fel (kod {code})'}, logg: {log}")
    return code


def _demo(args) -> int:
    from klk_analysis import demo

    written = demo.write_demo(args.folder, args.period)
    folder = written[0].parent
    print(f"{len(written)} påhittade nämnders arbetsböcker i {folder} (se README.md där).")
    print(f"Kör: klk run {folder.name} --raw {folder.parent}")
    return 0


# --- delivery: klk mail and klk word from a finished output folder --------------------------


def _sender(config_file: Path | None):
    from klk_analysis import config, mail

    settings = config.mail_settings(config.load_config(config_file))
    return lambda result: mail.send_run(result, settings)


def _mail(args) -> int:
    from klk_analysis import config, delivery, mail

    loaded = config.load_config(args.config)
    settings = config.mail_settings(loaded) if args.send or "mail" in loaded else None
    path = mail.write_eml(delivery.read_content(_report_folder(args)), settings)
    print(f"klk: skrev {path}")
    if args.send:
        mail.send_eml(path, settings)
        print(f"klk: skickade {path.name} till {', '.join(settings.recipients)}")
    return 0


def _word(args) -> int:
    from klk_analysis import config, word

    folder = _report_folder(args)
    loaded = config.load_config(args.config)
    print(f"klk: skrev {word.write_docx(folder, args.mall, args.tabellstil, loaded)}")
    return 0


def _report_folder(args) -> Path:
    """Return the board's finished folder that `klk mail` and `klk word` read (--out, --board)."""
    from klk_analysis.boards import report_folder

    return args.out or report_folder(args.outputs / args.period, args.board)


def _add_delivery_parsers(sub) -> None:
    mail = sub.add_parser("mail", help="gör rapporten till e-post (rapport.eml), skicka med --send")
    word = sub.add_parser("word", help="gör rapporten till Word (rapport.docx)")
    for parser in (mail, word):
        parser.add_argument("period", type=period_text, metavar="PERIOD", help="period som 2022-03")
        parser.add_argument(
            "--out", metavar="MAPP", type=Path, help="rapportmappen (outputs/PERIOD/NÄMND)"
        )
        parser.add_argument(
            "--board",
            metavar="NÄMND",
            help="nämnden när perioden har flera nämnders rapporter (namnet eller mappens namn)",
        )
        parser.add_argument(
            "--outputs",
            metavar="MAPP",
            type=Path,
            default=paths.OUTPUTS,
            help="mappen för rapporterna (outputs)",
        )
        parser.add_argument("--config", metavar="FIL", type=Path, help="konfigurationen (klk.toml)")
    mail.add_argument("--send", action="store_true", help="skicka brevet enligt [mail] i klk.toml")
    mail.set_defaults(handler=_mail)
    word.add_argument("--mall", metavar="FIL", type=Path, help="kommunens Word-mall (.docx)")
    word.add_argument("--tabellstil", metavar="NAMN", help="tabellstilen i mallen")
    word.set_defaults(handler=_word)


def _lab(args) -> int:
    from klk_analysis import execution

    execution.ensure_kernel()
    command = execution.lab_command()
    if args.dry_run:
        print(" ".join(command))
        return 0
    return execution.open_lab(command)


def _add_reading_options(
    parser: argparse.ArgumentParser,
    tolerance_help: str,
    board_help: str = "nämndens namn (annars från raden 'Summa <nämnd>')",
) -> None:
    parser.add_argument(
        "--vocabulary",
        metavar="FIL",
        help="en egen ordlista (TOML) utöver den inbyggda; standard: klk.toml i projektmappen",
    )
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
    check.add_argument(
        "--visa",
        action="store_true",
        help="visa hur arbetsboken lästes: varje kolumn, enheten, nämnden och varje rad",
    )

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
        "--register",
        action="store_true",
        help="skriv prognoserna till prognosregistret också när --input ligger utanför --raw",
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
    scheduled.add_argument(
        "--send", action="store_true", help="skicka brevet efter en lyckad körning"
    )
    scheduled.add_argument("--config", metavar="FIL", type=Path, help="konfigurationen (klk.toml)")
    scheduled.set_defaults(handler=_scheduled)
    _add_delivery_parsers(sub)

    demo = sub.add_parser("demo", help="skriv en påhittad kommuns arbetsböcker (data/exempel)")
    demo.add_argument("folder", nargs="?", metavar="MAPP", type=Path, help="mappen (data/exempel)")
    demo.add_argument("--period", type=period_text, default="2022-08", help="perioden (2022-08)")
    demo.set_defaults(handler=_demo)

    lab = sub.add_parser("lab", help="öppna JupyterLab på notebooks/ med projektets kärna")
    lab.add_argument("--dry-run", action="store_true", help="skriv bara kommandot")
    lab.set_defaults(handler=_lab)
    return parser


PATH_OPTIONS = ("input", "out", "raw", "outputs", "processed", "vocabulary")


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code: 0 fine, 1 inconsistent, 2 unusable."""
    console.use_plain_fallbacks()  # a cp1252 or ASCII console gets - for −, never an exception
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.error(f"ange ett kommando: {COMMANDS_SV}")
        # A folder or file typed on the command line is relative to where the user stands.
        for name in PATH_OPTIONS:
            if getattr(args, name, None):
                setattr(args, name, Path(getattr(args, name)).absolute())
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
