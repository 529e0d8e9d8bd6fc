"""The `klk` command: check a workbook, run a period's report, schedule it, open JupyterLab."""

import argparse
import json
import os
import sys
from pathlib import Path

from klk_analysis import paths
from klk_analysis.errors import KlkError, UnusableInputError
from klk_analysis.loading import load_workbook
from klk_analysis.validation import DEFAULT_TOLERANCE, count_by_severity, reconcile

LABELS_SV = {"error": "FEL", "warning": "VARNING", "info": "INFO"}


def _check(args) -> int:
    workbook = load_workbook(args.workbook, board=args.board)
    findings = reconcile(workbook, tolerance=args.tolerance)
    counts = count_by_severity(findings)
    if args.json:
        json.dump(
            {
                "file": str(workbook.path),
                "period": str(workbook.period),
                "board": workbook.board,
                "tolerance": args.tolerance,
                "counts": counts,
                "has_macros": workbook.has_macros,
                "findings": [f.as_dict() for f in findings],
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        print()
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
            f"{counts['info']} avrundningsnoteringar."
        )
    return 1 if counts["error"] else 0


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
    if len(periods) == 1:
        result = runner.run_period(
            periods[0], workbook=args.input, out_dir=args.out, say=print, **options
        )
        print(f"klk: {result.message}", file=sys.stdout if result.ok else sys.stderr)
        return result.exit_code
    if args.input or args.out:
        raise UnusableInputError(
            "--input och --out gäller en period; för flera perioder används --raw och --outputs."
        )
    results = runner.run_periods(periods, jobs=args.jobs, say=print, **options)
    print(runner.summary_table(results))
    return runner.exit_code(results)


def _scheduled(args) -> int:
    from klk_analysis import runner

    options = _run_options(args)
    options.pop("raw"), options.pop("outputs")
    code, log = runner.scheduled(args.raw, args.outputs, args.logs, **options)
    print(f"klk scheduled: {'klar' if code == 0 else f'fel (kod {code})'}, logg: {log}")
    return code


def _lab(args) -> int:
    from klk_analysis import execution

    execution.ensure_kernel()
    command = execution.lab_command()
    if args.dry_run:
        print(" ".join(command))
        return 0
    os.execv(command[0], command)  # JupyterLab takes over this process and its terminal
    return 0


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--raw", type=Path, default=paths.DATA_RAW, help="mappen med perioderna (data/raw)"
    )
    parser.add_argument(
        "--outputs", type=Path, default=paths.OUTPUTS, help="mappen för rapporterna (outputs)"
    )
    parser.add_argument(
        "--processed",
        type=Path,
        default=paths.DATA_PROCESSED,
        help="mappen för de städade tabellerna (data/processed)",
    )
    parser.add_argument("--board", help="nämndens namn (annars från raden 'Summa <nämnd>')")
    parser.add_argument(
        "--tolerance", type=float, default=DEFAULT_TOLERANCE, help="avrundningstolerans i mnkr"
    )
    parser.add_argument(
        "--timeout", type=float, default=600, help="längsta tid i sekunder för en cell (600)"
    )


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for `klk`."""
    parser = argparse.ArgumentParser(prog="klk", description="Ekonomisk rapport för en nämnd.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="läs en arbetsbok och stäm av dess siffror")
    check.add_argument("workbook", help="arbetsboken (.xlsx)")
    check.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    check.add_argument("--board", help="nämndens namn (annars från raden 'Summa <nämnd>')")
    check.add_argument(
        "--tolerance",
        type=float,
        default=DEFAULT_TOLERANCE,
        help="största avrundningsdifferens i mnkr som bara noteras (standard 0,2)",
    )
    check.set_defaults(handler=_check)

    run = sub.add_parser("run", help="gör rapporten för en eller flera perioder")
    run.add_argument("periods", nargs="*", metavar="PERIOD", help="period som 2022-03")
    run.add_argument("--all", action="store_true", help="alla perioder under --raw")
    run.add_argument("--current", action="store_true", help="den senaste perioden under --raw")
    run.add_argument("--input", type=Path, help="arbetsboken (annars den enda i data/raw/PERIOD/)")
    run.add_argument("--out", type=Path, help="rapportmappen (annars outputs/PERIOD/)")
    run.add_argument("--jobs", type=int, help="perioder parallellt (standard: antal kärnor)")
    _add_run_options(run)
    run.set_defaults(handler=_run)

    scheduled = sub.add_parser(
        "scheduled", help="kör den senaste perioden obevakat, med en logg i outputs/logs/"
    )
    scheduled.add_argument("--logs", type=Path, help="mappen för loggar (outputs/logs)")
    _add_run_options(scheduled)
    scheduled.set_defaults(handler=_scheduled)

    lab = sub.add_parser("lab", help="öppna JupyterLab på notebooks/ med projektets kärna")
    lab.add_argument("--dry-run", action="store_true", help="skriv bara kommandot")
    lab.set_defaults(handler=_lab)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code: 0 fine, 1 inconsistent, 2 unusable."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except KlkError as exc:
        print(f"klk: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("klk: avbruten.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
