"""go-ldflags-strip (DF007): Go binaries for the final image are built with `-ldflags="-s -w"`.

What it does
    For every `go build` / `go install` in a stage the final stage copies from, adds `-s -w`
    to the linker flags: into an existing `-ldflags` value (keeping its quoting and its `-X`
    settings, and after a package pattern: `all=-s -w -X …`), or as a new
    `-ldflags="-s -w"` right after `go build`. Flags already there, on the command or in
    GOFLAGS, are not repeated.

Why
    `-s` drops the symbol table and `-w` the DWARF debug information: the binary, and the
    image, shrink by a quarter or more. Panics still print full stack traces (those come
    from pclntab, which stays).

Example
    RUN go build -ldflags "-X main.version=${VERSION}" -o /server .
    ->
    RUN go build -ldflags "-s -w -X main.version=${VERSION}" -o /server .

Fix safety
    Safe. Left alone: debug, race and coverage builds (`-gcflags "all=-N -l"`, `-race`,
    `-cover`), and linker flags that come whole from a variable (`-ldflags "$LDFLAGS"`),
    which whoever sets the variable decides. Reported without a fix: an `-ldflags` value
    dockerfix cannot edit without changing its meaning (mixed quoting, escapes), and
    linker flags set in GOFLAGS (an `-ldflags` flag on the command would replace them).
"""
from __future__ import annotations

from .base import SAFE, Checker, Edit, Rule
from .gobuild import GoBuild, insert_flag, is_debug_build, runtime_builds

STRIP_FLAGS = ("-s", "-w")


def check(checker: Checker):
    for build in runtime_builds(checker.tree):
        if is_debug_build(build):
            continue
        found = build.value_of("ldflags")
        if found is not None and _only_variables(found[2]):
            continue
        from_goflags = found is None and "-ldflags" in build.environment.get("GOFLAGS", "")
        value = found[2] if found else _goflags_ldflags(build.environment["GOFLAGS"]) if from_goflags else ""
        present = _linker_flags(value)
        missing = [flag for flag in STRIP_FLAGS if flag not in present]
        if not missing:
            continue
        message = f"the binary keeps its symbol table and debug information: add `{' '.join(missing)}` to -ldflags"
        if from_goflags:  # an -ldflags flag would replace GOFLAGS' value, -X settings and all
            yield checker.report(RULE, build.instruction, message,
                                 reason="GOFLAGS sets -ldflags; add them there")
            continue
        edit = _edit(build, found, " ".join(missing))
        if edit is None:
            yield checker.report(RULE, build.instruction, message,
                                 reason="the -ldflags value is too intricate to edit safely")
        else:
            yield checker.report(RULE, build.instruction, message, edit, applicability=SAFE)


def _only_variables(value: str) -> bool:
    """`-ldflags "$LDFLAGS"`: the flags come from elsewhere (a build arg, a Makefile), not from here."""
    return "$" in value and not _linker_flags(value)


def _linker_flags(value: str) -> set[str]:
    """The flags a linker flag string sets, normalised to one dash: `--s` and `-s` are `-s`."""
    content = value.replace('"', " ").replace("'", " ")
    content = content[_pattern_end(content):]
    tokens = content.split()
    return {"-" + token.lstrip("-").split("=", 1)[0] for token in tokens if token.startswith("-")}


def _pattern_end(content: str) -> int:
    """Where the linker flags start in an -ldflags value: after `all=` in `all=-X a=b` (go's
    `[pattern=]args`: a value not starting with a dash names packages first); 0 otherwise,
    and also when there is no `=` (go refuses such a value: nothing to skip)."""
    body = content.lstrip()
    if not body or body.startswith("-") or "=" not in body:
        return 0
    return len(content) - len(body) + body.index("=") + 1


def _goflags_ldflags(goflags: str) -> str:
    """The -ldflags value inside GOFLAGS (`-ldflags=-s -w` quoted as a whole, or one word)."""
    return goflags.split("-ldflags", 1)[1].lstrip("=")


def _edit(build: GoBuild, found, missing: str) -> Edit | None:
    if found is None:
        at, text = insert_flag(build, f'-ldflags="{missing}"')
        return Edit(at, at, text)
    word, prefix, raw = found
    start = build.script.source_span(word.start, word.end).start + len(prefix)
    if build.script.source_span(word.start, word.end).end - start != len(raw):
        return None  # the word spans a line continuation: offsets inside it do not map simply
    if raw and raw[0] in "'\"" and raw.endswith(raw[0]) and raw.count(raw[0]) == 2:
        content = raw[1:-1]
        at = _pattern_end(content)
        return Edit(start + 1 + at, start + 1 + at, f"{missing} " if content[at:].strip() else missing)
    if not any(ch in raw for ch in "'\"\\ "):
        at = _pattern_end(raw)
        return Edit(start, start + len(raw), f'"{raw[:at]}{missing} {raw[at:]}"' if raw[at:] else
                    f'"{raw[:at]}{missing}"')
    return None


RULE = Rule(id="DF007", name="go-ldflags-strip",
            summary='Go binaries for the final image are built with -ldflags="-s -w"', check=check, doc=__doc__,
            severity="info")
