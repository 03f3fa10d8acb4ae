"""What the tests share, in one module: `from helpers import ROOT, run`. (pytest puts tests/ on
the import path, since tests/ is no package; nothing else touches sys.path.)

- where things are: the repository, its fixtures, the real-world corpora in ../shared;
- the command line run in this process, as from a shell without a terminal;
- BuildKit's own parser (package `dockerfile`) as the oracle for dockerfix's reading;
- the pieces the property tests and the fuzzer make Dockerfiles of;
- the container engine of the build tests (tests/e2e): whether it is here, and its settings;
- the scripts of benchmarks/, which are no package, as modules.
"""
from __future__ import annotations

import csv
import importlib.util
import io
import os
import shutil
import sys
from pathlib import Path

import dockerfile as buildkit
import pytest

import fixer
from fixer.records import record
from fixer.syntax.tree import Instruction

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"


# --- The real-world corpora --------------------------------------------------------------------

needs_shared = pytest.mark.skipif(
    not (SHARED / "corpus").is_dir(),
    reason="../shared (the real-world corpus) is not beside this checkout; CI always has it",
)


def write_repository(root: Path, files: dict[str, str | bytes]) -> None:
    """An invented repository at `root`: a `.git` folder and these files (text or bytes)."""
    (root / ".git").mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


def corpus_files() -> list[Path]:
    return sorted((SHARED / "corpus").glob("*/Dockerfile"))


def history_files() -> list[Path]:
    return sorted((SHARED / "history").glob("*/*.Dockerfile"))


def read_utf8(path: Path) -> str | None:
    """The file's text, or None for the corpus's one UTF-16 file (BuildKit rejects it too)."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None


def corpus_context(dockerfile: Path, root: Path):
    """A build context made from the corpus manifest's facts: go.mod (copied), go.sum,
    vendor/modules.txt and .dockerignore where the real context had them."""
    from fixer.context import BuildContext

    facts = _corpus_manifest().get(dockerfile.parent.name, {})
    context = root / dockerfile.parent.name
    context.mkdir(parents=True, exist_ok=True)
    for name in ("go.mod", ".dockerignore"):
        if (dockerfile.parent / name).exists():
            (context / name).write_bytes((dockerfile.parent / name).read_bytes())
    if facts.get("has_go_sum") == "true":
        (context / "go.sum").touch()
    if facts.get("has_vendor") == "true":
        (context / "vendor").mkdir(exist_ok=True)
        (context / "vendor" / "modules.txt").touch()
    return BuildContext(context)


_MANIFEST: dict = {}


def _corpus_manifest() -> dict:
    if not _MANIFEST:
        with open(SHARED / "corpus" / "manifest.tsv", newline="", encoding="utf-8") as handle:
            _MANIFEST.update({row["id"]: row for row in csv.DictReader(handle, delimiter="\t")})
    return _MANIFEST


# --- The command line, in this process ---------------------------------------------------------

@record
class Result:
    exit_code: int
    stdout: str
    stderr: str


def invoke(command, args, input: str | bytes | None = None) -> Result:
    """Run a command's main(args) in this process, as from a shell without a terminal: standard
    input from `input`, standard output and error captured."""
    data = input.encode("utf-8") if isinstance(input, str) else (input or b"")
    streams = (io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"),
               io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = streams
    try:
        code = command(list(args))
    except SystemExit as exit:  # usage errors, --help and --version
        code = exit.code
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
    out, err = (_written(stream) for stream in streams[1:])
    return Result(code, out, err)


def _written(stream: io.TextIOWrapper) -> str:
    stream.flush()
    return stream.buffer.getvalue().decode("utf-8")


def run(*args, input=None) -> Result:
    """`dockerfix ARGS`, in this process."""
    from fixer.cli import main

    return invoke(main, args, input)


# --- BuildKit's parser as the oracle -----------------------------------------------------------

def buildkit_view(text: str) -> list[tuple] | str:
    """BuildKit's instruction list, or the error message when BuildKit rejects the text."""
    try:
        commands = buildkit.parse_string(text)
    except buildkit.GoParseError as error:
        return f"error: {error}"
    return [((c.cmd or "").upper(), c.sub_cmd and c.sub_cmd.upper(), c.json, c.start_line, c.end_line,
             tuple(c.flags), tuple(c.value), tuple((h.name, h.file_descriptor, h.content) for h in c.heredocs))
            for c in commands]


def our_view(text: str) -> list[tuple] | str:
    try:
        tree = fixer.parse(text)
    except fixer.DockerfileError as error:
        return f"error: {error.message}"
    return [_instruction_view(node) for node in tree.instructions]


def _c_string(value: str) -> str:
    # The `dockerfile` wrapper hands strings through C, which ends them at a NUL byte.
    return value.split("\x00", 1)[0]


def _instruction_view(node: Instruction) -> tuple:
    # The wrapper reports the outer node's flags for ONBUILD and none of its heredocs
    # (their bodies still count in end_line, which is compared).
    sub = node.sub
    heredocs = () if sub else node.heredocs
    return (node.keyword, sub.keyword if sub else None, node.json, node.start_line, node.end_line,
            tuple(flag.text for flag in node.flags), tuple(_c_string(v) for v in node.values),
            tuple((h.name, h.file_descriptor, h.content) for h in heredocs))


def disagreement(text: str) -> str | None:
    """None when both parsers read `text` the same way (or both reject it), else what differs."""
    theirs, ours = buildkit_view(text), our_view(text)
    if isinstance(theirs, str) or isinstance(ours, str):
        if isinstance(theirs, str) and isinstance(ours, str):
            return None
        return f"BuildKit: {theirs if isinstance(theirs, str) else 'accepts'}; dockerfix: " \
               f"{ours if isinstance(ours, str) else 'accepts'}"
    if theirs == ours:
        return None
    for index, (a, b) in enumerate(zip(theirs, ours, strict=False)):
        if a != b:
            return f"instruction {index + 1}: BuildKit {a!r} != dockerfix {b!r}"
    return f"instruction count: BuildKit {len(theirs)} != dockerfix {len(ours)}"


# --- Generated Dockerfiles ---------------------------------------------------------------------

FUZZ_EXAMPLES = int(os.environ.get("DOCKERFIX_FUZZ_EXAMPLES", "150"))  # a longer run: 5000
# Lines from a small Dockerfile-ish alphabet, glued at random: they find the corners nobody wrote down.
LINE_PIECES = ["FROM a", "RUN x", "RUN a \\", "\\", "`", "# escape=`", "# syntax=x", "#", "", "  ", "\t",
               "COPY <<EOF /x", "RUN <<-EOF", "EOF", "\tEOF", "RUN 3<<E cat", "E", 'CMD ["a"]', "CMD [1]",
               "ENV a", "ENV a=b c", "ONBUILD RUN x", "LABEL a=\"b", "RUN echo '<<EOF'", "HEALTHCHECK",
               "RUN --mount=type=cache,target=/x -- y", "ARG x=\"a b\"", "RUN apk add git # c \\"]


# --- The container engine of the build tests ---------------------------------------------------

# What `make engine` installs (the Makefile's ENGINE_PACKAGES).
ENGINE_PACKAGES = ("buildah", "podman", "runc", "busybox-static", "golang-go", "ca-certificates", "tzdata")
STANDIN_KINDS = ("alpine", "golang", "distroless")


def engine_unavailable(kinds=STANDIN_KINDS) -> str | None:
    """Why the build tests cannot run here, or None."""
    from fixer.verify import standins

    if os.geteuid() != 0:
        return "the engine runs as root here (chroot isolation); not root"
    lacking = [tool for tool in ("buildah", "podman", "runc") if shutil.which(tool) is None]
    lacking += [item for kind in kinds for item in standins.missing(kind)]
    if lacking:
        return f"no container engine or stand-in material ({', '.join(dict.fromkeys(lacking))}): " \
               f"apt-get install {' '.join(ENGINE_PACKAGES)} (or run .ci/run)"
    return None


def skip_or_fail(reason: str) -> None:
    """Skip a build test, or fail it where DOCKERFIX_REQUIRE_ENGINE is set (CI, `make test` as root)."""
    if os.environ.get("DOCKERFIX_REQUIRE_ENGINE"):
        pytest.fail(f"DOCKERFIX_REQUIRE_ENGINE is set, but {reason}")
    pytest.skip(reason)


def engine_settings(root: Path) -> dict[str, str]:
    """Engine settings that work on this kind of machine, in a graphroot of our own."""
    (root / "storage.conf").write_text(
        f'[storage]\ndriver = "overlay"\ngraphroot = "{root}/graph"\nrunroot = "{root}/run"\n')
    (root / "containers.conf").write_text(
        '[containers]\nnetns = "none"\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n'
        '[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n')
    return {"CONTAINERS_STORAGE_CONF": str(root / "storage.conf"),
            "CONTAINERS_CONF": str(root / "containers.conf"), "BUILDAH_ISOLATION": "chroot"}


# --- The scripts of benchmarks/ ----------------------------------------------------------------

def benchmark_script(name: str):
    """benchmarks/<name>.py as a module (benchmarks/ is a folder of scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
