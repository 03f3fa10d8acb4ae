"""`dockerfix server`'s start-up and re-check time, on a 200-line Dockerfile with findings on
most lines, or on a real one where it is (its own build context, read, never written).

    .venv/bin/python benchmarks/server_bench.py [--rounds 20] [--lines 200]
    .venv/bin/python benchmarks/server_bench.py --file PATH [--rounds 20]

(the README's numbers: --file ../trees/corpus/cdf52c6bd234/client/ui/build/docker/Dockerfile.cross,
a 203-line Go Dockerfile of the corpus)

Measures, and prints as a markdown table (medians; the machine is shared and noisy):
- start-up: from starting `dockerfix server` to its answer to `initialize`;
- first check: from `didOpen` to the diagnostics (the project read from disk, cold);
- re-check over the protocol: from a `didChange` of one line to the diagnostics of that version;
- re-check in process: the analysis alone (fixer.server.analysis), as the worker thread runs it.
Each change types a blank at the start of a line, and the next one takes it away again (a
blank before an instruction, or in a RUN's continuation, changes no finding), on line 11, 12,
… 60 in turn. The client is a few lines of JSON-RPC over pipes, so that only the server is timed.
"""
from __future__ import annotations

import argparse
import json
import os
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def dockerfile(lines: int) -> str:
    """A naive Go Dockerfile: one stage, a RUN per package, the source copied first."""
    head = ["FROM golang:1.22 as build", "MAINTAINER someone@example.com", "WORKDIR /src", "ADD . .",
            "RUN apk update"]
    body = []
    kinds = ["RUN apk add pkg{i}", "ENV VAR_{i}=value{i}", "# step {i}", "RUN echo step {i} && go env",
             'LABEL key{i}="v{i}"']
    while len(head) + len(body) < lines - 2:
        body.append(kinds[len(body) % len(kinds)].format(i=len(body)))
    return "\n".join(head + body + ["RUN go build -o /app .", "CMD /app"]) + "\n"


class Client:
    def __init__(self, command: list[str], cwd: str):
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=cwd)
        self.next_id = 0
        self.buffer = b""

    def send(self, method: str, params, request: bool = False) -> int | None:
        message = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self.next_id += 1
            message["id"] = self.next_id
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()
        return message.get("id")

    def receive(self, timeout: float = 60) -> dict:
        """The next message, read from the pipe as it comes (unbuffered: select sees all there is)."""
        while b"\r\n\r\n" not in self.buffer:
            self.read(timeout)
        header, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        length = next(int(line.split(b":")[1]) for line in header.split(b"\r\n")
                      if line.lower().startswith(b"content-length"))
        while len(self.buffer) < length:
            self.read(timeout)
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return json.loads(body)

    def read(self, timeout: float) -> None:
        if not select.select([self.process.stdout], [], [], timeout)[0]:
            self.process.kill()
            sys.exit(f"server_bench: no answer from the server in {timeout:.0f} s")
        chunk = os.read(self.process.stdout.fileno(), 1 << 16)
        if not chunk:
            sys.exit("server_bench: the server ended")
        self.buffer += chunk

    def until(self, test) -> dict:
        while True:
            message = self.receive()
            if test(message):
                return message


def edit(version: int, lines: int) -> tuple[int, bool]:
    """The line the change to `version` makes (0-based), and whether it types the blank (else it
    takes away the one the version before typed)."""
    return (10 + (version - 2) // 2 % 50) % lines, version % 2 == 0


def edited(lines: list[str], version: int) -> str:
    """The text of `version`: an odd one is the text as it was (its change takes the blank away)."""
    if version % 2:
        return "".join(lines)
    line, _ = edit(version, len(lines))
    return "".join(lines[:line] + [" " + lines[line]] + lines[line + 1:])


def published(uri: str, version: int):
    return lambda m: (m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
                      and m["params"].get("version") == version)


def over_the_protocol(path: Path, text: str, rounds: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"start-up": [], "first check": [], "re-check (protocol)": []}
    project = path.parent
    uri = path.as_uri()
    lines = len(text.splitlines())
    for _ in range(max(3, rounds // 4)):
        started = time.perf_counter()
        client = Client([sys.executable, "-m", "fixer", "server"], str(project))
        asked = client.send("initialize", {"processId": os.getpid(), "rootUri": project.as_uri(),
                                           "capabilities": {}}, request=True)
        client.until(lambda m, asked=asked: m.get("id") == asked)
        times["start-up"].append(time.perf_counter() - started)
        client.send("initialized", {})
        started = time.perf_counter()
        client.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1,
                                                              "text": text}})
        client.until(published(uri, 1))
        times["first check"].append(time.perf_counter() - started)
        for version in range(2, rounds + 2):
            line, typed = edit(version, lines)
            started = time.perf_counter()
            client.send("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": {"start": {"line": line, "character": 0},
                                              "end": {"line": line, "character": 0 if typed else 1}},
                                    "text": " " if typed else ""}]})
            client.until(published(uri, version))
            times["re-check (protocol)"].append(time.perf_counter() - started)
        client.send("shutdown", None, request=True)
        client.until(lambda m: "result" in m)
        client.send("exit", None)
        client.process.wait(timeout=10)
    return times


def in_process(path: Path, text: str, rounds: int) -> list[float]:
    from fixer.server.analysis import DOCKERFILE, Analyzer

    analyzer = Analyzer()
    previous = analyzer.analyze(str(path), text, DOCKERFILE).parsed
    lines = text.splitlines(keepends=True)
    samples = []
    for version in range(2, rounds + 2):
        changed = edited(lines, version)
        started = time.perf_counter()
        analysis = analyzer.analyze(str(path), changed, DOCKERFILE, previous=previous)
        samples.append(time.perf_counter() - started)
        previous = analysis.parsed
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--lines", type=int, default=200, help="of the made-up Dockerfile")
    parser.add_argument("--file", type=Path, help="a real Dockerfile instead, checked where it is")
    args = parser.parse_args()
    if args.file:
        path = args.file.resolve()
        text = path.read_text(encoding="utf-8")
        times, findings = measure(path, text, args.rounds)
        what = f"{path.name} ({len(text.splitlines())} lines, in its own build context)"
    else:
        text = dockerfile(args.lines)
        with tempfile.TemporaryDirectory() as directory:
            project = Path(directory)
            (project / "go.mod").write_text("module example.com/app\n\ngo 1.23\n")
            (project / "main.go").write_text('package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n')
            (project / "Dockerfile").write_text(text)
            times, findings = measure(project / "Dockerfile", text, args.rounds)
        what = f"a {args.lines}-line Dockerfile"
    print(f"`dockerfix server`, {what} with {findings} findings "
          f"(median of {args.rounds} re-checks; start-up and first check of {len(times['start-up'])} starts)\n")
    print("| what | median | slowest |\n|---|---|---|")
    for name, samples in times.items():
        print(f"| {name} | {statistics.median(samples) * 1000:.1f} ms | {max(samples) * 1000:.1f} ms |")


def measure(path: Path, text: str, rounds: int) -> tuple[dict[str, list[float]], int]:
    from fixer.server.analysis import DOCKERFILE, Analyzer

    findings = len(Analyzer().analyze(str(path), text, DOCKERFILE).problems)
    times = over_the_protocol(path, text, rounds)
    times["re-check (in process)"] = in_process(path, text, rounds)
    return times, findings


if __name__ == "__main__":
    main()
