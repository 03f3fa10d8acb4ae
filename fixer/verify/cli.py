"""`dockerfix verify`, its own command: loaded only when asked for, to keep start-up short."""
from __future__ import annotations

import argparse
import os
import sys

from ..cli import split_names
from ..config import RUNTIME_BASES
from ..console import HelpFormatter, echo

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dockerfix verify", usage="%(prog)s [options] PATH", allow_abbrev=False,
        formatter_class=HelpFormatter,
        description="Build PATH as it is and as dockerfix fixes it, and show the fixed image is sound.")
    add = parser.add_argument
    add("path", metavar="PATH", help="The Dockerfile.")
    add("--context", dest="context_dir", metavar="DIR", help="The build context (default: found as for fixing).")
    add("--engine", dest="engine_name", choices=("docker", "podman", "buildah"),
        help="The engine to build with (default: docker with a running daemon, podman, buildah).")
    add("--run", dest="run_images", action="store_true", help="Also run both images (networking off) and compare.")
    add("--run-args", default="", metavar="ARGS", help="Arguments for --run (implies --run).")
    add("--stdin", dest="stdin_file", metavar="FILE", help="Standard input for --run.")
    add("--no-rebuild", action="store_true", help="Skip measuring the rebuild after touching a source file.")
    add("--select", action="append", default=[], metavar="RULES", help="Only these rules.")
    add("--ignore", action="append", default=[], metavar="RULES", help="Leave these rules out.")
    add("--unsafe-fixes", action="store_true", help="Also apply fixes that are not proven safe.")
    add("--runtime-base", choices=RUNTIME_BASES, default="alpine",
        help="The base of runtime stages dockerfix writes (default: alpine).")
    add("--json", dest="as_json", action="store_true", help="Print the report as JSON.")
    return parser


def main(argv: list[str]) -> int:
    """Run `dockerfix verify ARGV…`; returns the exit code (usage errors exit 2 through argparse)."""
    parser = build_parser()
    args = parser.parse_intermixed_args(argv)
    if not os.path.isfile(args.path):
        parser.error(f"{args.path}: no such file")
    if args.context_dir is not None and not os.path.isdir(args.context_dir):
        parser.error(f"--context {args.context_dir}: no such directory")
    stdin = None
    if args.stdin_file is not None:
        try:
            with open(args.stdin_file, "rb") as file:
                stdin = file.read()
        except OSError as error:
            parser.error(f"--stdin {args.stdin_file}: {error.strerror}")
    return _verify(parser, args, stdin)


def _verify(parser: argparse.ArgumentParser, args: argparse.Namespace, stdin: bytes | None) -> int:
    import json
    import shlex

    from ..engine import FixError
    from ..report.text import error_line
    from ..rules import UnknownRule
    from ..syntax import DockerfileError
    from . import EngineError, format_report, verify

    def progress(message: str) -> None:
        if sys.stderr.isatty() or not args.as_json:
            echo(f"dockerfix verify: {message} …", err=True)

    try:
        report = verify(args.path, context_dir=args.context_dir, engine_name=args.engine_name,
                        run=args.run_images or bool(args.run_args), run_args=tuple(shlex.split(args.run_args)),
                        stdin=stdin, unsafe_fixes=args.unsafe_fixes, select=split_names(args.select) or None,
                        ignore=split_names(args.ignore), options={"runtime_base": args.runtime_base},
                        rebuild=not args.no_rebuild, progress=progress)
    except UnknownRule as error:
        parser.error(str(error))
    except (DockerfileError, FixError) as error:
        echo(error_line(args.path, getattr(error, "message", str(error)), getattr(error, "line", 0)), err=True)
        return EXIT_ERROR
    except EngineError as error:
        echo(f"dockerfix verify: {error}", err=True)
        return EXIT_ERROR
    echo(json.dumps(report.to_json(), indent=2) if args.as_json else format_report(report))
    return EXIT_OK if report.passed else EXIT_FAILED
