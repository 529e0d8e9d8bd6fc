"""The `klk` command: check a workbook (and, as the suite grows, run a period's report)."""

import argparse
import json
import sys

from klk_analysis.errors import KlkError
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
