"""Property tests over generated Dockerfiles: round trip, BuildKit agreement, idempotence.

Two generators: one builds files from the grammar's pieces (directives, continuations with
comment and blank lines, heredocs, flags, JSON and shell forms, CRLF, BOM); the other glues
random lines from a small Dockerfile-ish alphabet, which finds the corners nobody wrote down.
Set DOCKERFIX_FUZZ_EXAMPLES for a longer run.
"""
from __future__ import annotations

import dockerfile as buildkit
from helpers import FUZZ_EXAMPLES, LINE_PIECES, ROOT, disagreement
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fixer

SETTINGS = settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

newline = st.sampled_from(["\n", "\r\n"])
space = st.sampled_from(["", " ", "  ", "\t"])
word = st.sampled_from(["git", "curl", "ca-certificates", "make", "$PKG", "\"a b\"", "'c d'", "x\\ y",
                        "--virtual", ".build-deps", "-U", "--update", "--no-cache"])
command = st.one_of(
    st.builds(lambda ws: "apk add " + " ".join(ws), st.lists(word, min_size=1, max_size=4)),
    st.sampled_from(["apk update", "go mod download", "CGO_ENABLED=0 go build -o /app .", "echo hi # note",
                     "rm -rf /var/cache/apk/*", "if [ -n \"$X\" ]; then apk add git; fi", "true || false"]),
)
separator = st.sampled_from([" && ", "; ", " || ", " | "])


@st.composite
def run_instruction(draw):
    parts = draw(st.lists(command, min_size=1, max_size=4))
    nl = draw(newline)
    text = draw(st.sampled_from(["RUN ", "run ", "RUN --mount=type=cache,target=/var/cache/apk ",
                                 "ONBUILD RUN "]))
    for index, part in enumerate(parts):
        if index:
            text += draw(separator)
            if draw(st.booleans()):
                text += "\\" + draw(space) + nl
                text += draw(st.sampled_from(["", "  # a comment" + nl, draw(space) + nl]))
                text += draw(space)
        text += part
    return text + nl


@st.composite
def other_instruction(draw):
    nl = draw(newline)
    return draw(st.sampled_from([
        "FROM golang:1.23 as build", "FROM alpine:3.20 AS run", "from scratch", "FROM --platform=$X alpine",
        'CMD ["/app", "serve"]', "CMD /app serve", "ENTRYPOINT ['/app']", "ENV A=1 B=\"two words\"",
        "ENV OLD style value", "LABEL a=b", "ARG VERSION", "COPY --from=build /app /app", "WORKDIR /src",
        "EXPOSE 8080", "USER 65534:65534", "HEALTHCHECK CMD wget -q -O- localhost", "# a comment", "",
        "   ", "COPY <<EOF /etc/x" + nl + "content" + nl + "EOF", "RUN <<-EOT" + nl + "\techo" + nl + "\tEOT",
        'RUN ["apk", "add", "git"]', "SHELL [\"/bin/bash\", \"-c\"]",
    ])) + draw(space) + nl


@st.composite
def dockerfile_text(draw):
    text = draw(st.sampled_from(["", "\ufeff"]))
    if draw(st.booleans()):
        text += "# syntax=docker/dockerfile:1" + draw(newline)
    text += "FROM alpine:3.20" + draw(newline)
    body = draw(st.lists(st.one_of(run_instruction(), other_instruction()), min_size=1, max_size=8))
    text += "".join(body)
    if draw(st.booleans()):
        text = text.rstrip("\r\n")
    return text


def _agrees_and_round_trips(text: str) -> bool:
    """Both parsers read `text` alike; if it parses, it prints back unchanged. False if rejected."""
    assert disagreement(text) is None
    try:
        tree = fixer.parse(text)
    except fixer.DockerfileError:
        return False
    assert tree.to_source() == text
    return True


def _accepted_by_buildkit(text: str) -> bool:
    try:
        buildkit.parse_string(text)
        return True
    except buildkit.GoParseError:
        return False


@SETTINGS
@given(dockerfile_text())
def test_generated_files_agree_round_trip_and_fix_idempotently(text):
    if not _agrees_and_round_trips(text):
        return
    try:
        once = fixer.fix(text).output
    except fixer.DockerfileError:
        return  # valid grammar but not buildable (e.g. an unknown instruction): refused, not fixed
    assert _accepted_by_buildkit(once)
    assert fixer.fix(once).output == once


@SETTINGS
@given(st.lists(st.sampled_from(LINE_PIECES), min_size=1, max_size=10),
       st.lists(st.sampled_from(["\n", "\r\n", " \n", "\\\n"]), min_size=10, max_size=10),
       st.booleans())
def test_random_line_soup_agrees_with_buildkit(pieces, endings, final_newline):
    text = "".join(piece + ending for piece, ending in zip(pieces, endings, strict=False))
    if not final_newline:
        text = text.rstrip("\r\n")
    _agrees_and_round_trips(text)


# Naive Go Dockerfiles, built from the pieces the Go rules act on, so that every rule's fix
# meets every other's: single stage or not, whole-context copies, go build/install/run,
# apk and apt-get steps, users, commands in both forms, comments between everything.
go_base = st.sampled_from(["golang:1.23", "golang:1.23-alpine", "golang:latest", "golang", "golang:${GO}-bookworm"])
go_step = st.sampled_from([
    "WORKDIR /app", "WORKDIR /src", "COPY . .", "ADD . /src", "COPY go.mod go.sum ./", "COPY templates ./templates",
    "RUN go mod download", "RUN go build -o server .", "RUN CGO_ENABLED=0 go build -o /server ./cmd/server",
    'RUN go build -ldflags "-X main.v=${V}" -o /usr/local/bin/server .', "RUN go install ./cmd/server",
    "RUN env CGO_ENABLED=0 go build -o bin/app ./cmd/app", "RUN apk update", "RUN apk add git",
    "RUN apt-get update", "RUN apt-get install -y curl", "RUN make build", "RUN cd /app && go build -o x .",
    "ENV PORT=8080", "ENV CGO_ENABLED=0", "ARG V=dev", "EXPOSE 8080", "EXPOSE 80", "VOLUME /data",
    "USER root", "USER 1000", "LABEL version=$V", "# a step", "", "HEALTHCHECK CMD wget -qO- localhost:8080",
])
go_command = st.sampled_from([
    'CMD ["./server"]', 'CMD ["/server", "--stdio"]', "CMD ./server", 'ENTRYPOINT ["server"]',
    'CMD ["go", "run", "./cmd/server"]', 'ENTRYPOINT ["/usr/local/bin/server"]', 'ENTRYPOINT ["/entrypoint.sh"]',
    'CMD ["bash"]', 'CMD ["./bin/app", "-config", "config.yaml"]',
])
runtime_stage = st.sampled_from([
    "", "FROM alpine:3.20\nCOPY --from=0 /server /server\n", "FROM scratch\nCOPY --from=0 /server /server\n",
    "FROM gcr.io/distroless/static-debian12\nCOPY --from=0 /usr/local/bin/server /server\n",
])


@st.composite
def go_dockerfile_text(draw):
    nl = draw(newline)
    lines = [f"FROM {draw(go_base)}"] + draw(st.lists(go_step, max_size=10)) + [draw(go_command)]
    text = nl.join(lines) + nl + draw(runtime_stage).replace("\n", nl)
    if draw(st.booleans()):
        text += draw(go_command) + nl
    return text


def _comment_lines(text: str) -> list[str]:
    return sorted(line.strip() for line in text.splitlines() if line.strip().startswith("#"))


@SETTINGS
@given(go_dockerfile_text(), st.booleans(), st.sampled_from(["alpine", "scratch", "distroless"]), st.booleans())
def test_go_rules_together_keep_files_valid_idempotent_and_comments_whole(text, unsafe, runtime, with_context):
    """All rules at once, safe or unsafe, with or without a build context: the output is
    accepted by BuildKit, a fixed point, and keeps every comment line of the input."""
    from fixer.context import BuildContext

    context = BuildContext(GO_CONTEXT) if with_context else None
    options = dict(select=["ALL"], unsafe_fixes=unsafe, options={"runtime_base": runtime}, context=context)
    try:
        once = fixer.fix(text, **options).output
    except fixer.DockerfileError:
        return
    assert _accepted_by_buildkit(once), once
    assert fixer.fix(once, **options).output == once
    assert _comment_lines(once) == _comment_lines(text)


GO_CONTEXT = ROOT / "examples" / "go-mcp-server"
