"""Local stand-ins for base images, for building where no registry is reachable:
`dockerfix verify --make-standins PATH` makes them for the bases PATH and its fixed version
use, and dockerfix's own build tests use them.

A stand-in is made from what this machine has (Debian's packages, the Python running
dockerfix), with nothing from a registry, and tagged with the name a Dockerfile uses, only
where the engine has no image of that name: a real image is never replaced. It shows that a
fix builds and runs; it is not the real image. They are:

- alpine (and busybox): Debian's busybox-static with every applet, an /etc/passwd with
  `nobody` (65534) and `nonroot` (65532), the CA bundle where Alpine keeps it, and `apk`: a
  stand-in script (data/apk) that installs only the packages the image carries
  (ca-certificates, tzdata) and fails for any other;
- golang (any tag): the alpine stand-in plus Debian's Go toolchain (golang-go) at
  /usr/local/go, with GOPATH=/go, GOPROXY=off (no network) and CGO_ENABLED=0 (there is no
  C compiler, as in golang:*-alpine). Its Go is Debian's, whatever the tag says;
- gcr.io/distroless/static*: no shell, /etc/passwd with `nonroot` (65532), the CA bundle;
- python (a tag of the running Python's version, or none): the Python running dockerfix,
  one built from source as the official images' is, moved to /usr/local, with pip from its
  own ensurepip, and busybox for a shell. Its pip trusts this machine's CA bundle
  (PIP_CERT), as a pip behind a TLS-inspecting proxy must.

Each is built from a Dockerfile with the engine it is for, networking off.
"""
from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from .elf import is_static
from .engines import Engine

APK = Path(__file__).with_name("data") / "apk"
PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
PASSWD = ("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"
          "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n")
GROUP = "root:x:0:\nnogroup:x:65534:\nnonroot:x:65532:\n"
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
ZONEINFO = Path("/usr/share/zoneinfo")
# What each stand-in is made of, as Debian packages (each kind also needs those of the kinds it builds on).
PACKAGES = {"alpine": ("busybox-static", "ca-certificates", "tzdata"), "golang": ("golang-go",),
            "distroless": ("ca-certificates",), "python": ("busybox-static", "ca-certificates")}
BUILDS_ON = {"golang": "alpine"}


def standin_tag(kind: str) -> str:
    return f"dockerfix-standin/{kind}"


def kind_of(image: str) -> str | None:
    """Which stand-in can take the place of `image`, if any."""
    name, tag = _split(image)
    last = name.rsplit("/", 1)[-1]
    if last == "golang":
        return "golang"
    if last in ("alpine", "busybox"):
        return "alpine"
    if name.startswith("gcr.io/distroless/static"):
        return "distroless"
    if last == "python" and _python_tag_fits(tag):
        return "python"
    return None


def _split(image: str) -> tuple[str, str]:
    name = image.split("@", 1)[0]
    if ":" in name.rsplit("/", 1)[-1]:
        name, tag = name.rsplit(":", 1)
        return name, tag
    return name, ""


def _python_tag_fits(tag: str) -> bool:
    """`python:3.11-slim` fits a stand-in made from Python 3.11.x; `python:3.12` does not."""
    version = re.match(r"\d+(?:\.\d+)*", tag)
    if version is None:
        return True
    running = [str(part) for part in sys.version_info[:3]]
    return version.group(0).split(".") == running[:len(version.group(0).split("."))]


def missing(kind: str) -> list[str]:
    """What this machine lacks to make the stand-in `kind` (Debian packages, or a reason)."""
    lacking = missing(BUILDS_ON[kind]) if kind in BUILDS_ON else []
    needs = set(PACKAGES[kind])
    busybox = shutil.which("busybox")
    if "busybox-static" in needs and (busybox is None or not is_static(Path(busybox).read_bytes())):
        lacking.append("busybox-static")
    if "ca-certificates" in needs and not CA_BUNDLE.is_file():
        lacking.append("ca-certificates")
    if "tzdata" in needs and not (ZONEINFO / "UTC").exists():
        lacking.append("tzdata")
    if "golang-go" in needs and not glob.glob("/usr/lib/go-1.*/bin/go"):
        lacking.append("golang-go")
    if kind == "python" and _python_home() is None:
        lacking.append(f"a Python built from source (this one keeps its standard library in {sys.base_prefix}, "
                       "as Debian's does, apart from its packages)")
    return sorted(set(lacking), key=lacking.index)


def _lacking(lacking: list[str]) -> str:
    packages = [item for item in lacking if " " not in item]
    reasons = [item for item in lacking if " " in item]
    return "; ".join(reasons + ([f"apt-get install {' '.join(packages)}"] if packages else []))


def make(engine: Engine, images, workdir: Path | None = None, progress=lambda message: None) -> dict[str, str]:
    """Tag a stand-in as each of `images` that the engine does not have; returns what was
    done for each image: "stand-in", "present" (left alone) or why there is no stand-in."""
    outcome: dict[str, str] = {}
    needed: dict[str, list[str]] = {}  # stand-in kind -> the images it stands in for
    for image in sorted(set(images)):
        kind = kind_of(image)
        if engine.has_image(image):
            outcome[image] = "present"
        elif "@" in image:
            outcome[image] = "no stand-in: a digest names one exact image"
        elif kind is None:
            outcome[image] = "no stand-in for this image"
        elif missing(kind):
            outcome[image] = "no stand-in: " + _lacking(missing(kind))
        else:
            needed.setdefault(kind, []).append(image)
    if not needed:
        return outcome
    builder = replace(engine, pull="never", network="none", created=[], containers=[])
    with tempfile.TemporaryDirectory(prefix="dockerfix-standins-", dir=workdir) as root:
        built: dict[str, str] = {}
        for kind in needed:
            _build(builder, kind, Path(root), built, progress)
    for kind, kind_images in needed.items():
        for image in kind_images:
            engine.tag(built[kind], image)
            outcome[image] = "stand-in"
    return outcome


def _build(engine: Engine, kind: str, root: Path, built: dict[str, str], progress) -> str:
    if kind in built:
        return built[kind]
    if kind in BUILDS_ON:
        _build(engine, BUILDS_ON[kind], root, built, progress)
    progress(f"making the {kind} stand-in")
    context = root / kind
    context.mkdir()
    dockerfile = {"alpine": _alpine, "golang": _golang, "distroless": _distroless, "python": _python}[kind](context)
    (context / "Dockerfile").write_text(dockerfile)
    engine.build(str(context / "Dockerfile"), str(context), standin_tag(kind), keep=True)
    shutil.rmtree(context, ignore_errors=True)
    built[kind] = standin_tag(kind)
    return built[kind]


def _base_files(rootfs: Path, busybox: bool = True) -> None:
    for directory in ("etc/ssl/certs", "tmp", "root"):
        (rootfs / directory).mkdir(parents=True, exist_ok=True)
    (rootfs / "tmp").chmod(0o1777)
    (rootfs / "etc" / "passwd").write_text(PASSWD)
    (rootfs / "etc" / "group").write_text(GROUP)
    shutil.copy2(CA_BUNDLE, rootfs / "etc" / "ssl" / "certs" / CA_BUNDLE.name)
    if busybox:
        (rootfs / "bin").mkdir(exist_ok=True)
        shutil.copy2(shutil.which("busybox"), rootfs / "bin" / "busybox")  # type: ignore[arg-type]  # see missing()


_BUSYBOX = 'RUN ["/bin/busybox", "--install", "-s", "/bin"]\n'


def _alpine(context: Path) -> str:
    rootfs = context / "rootfs"
    _base_files(rootfs)
    for directory in ("sbin", "var/cache/apk"):
        (rootfs / directory).mkdir(parents=True, exist_ok=True)
    shutil.copyfile(APK, rootfs / "sbin" / "apk")
    (rootfs / "sbin" / "apk").chmod(0o755)
    carried = rootfs / "usr" / "share" / "standin"
    (carried / "ca-certificates" / "etc" / "ssl" / "certs").mkdir(parents=True)
    shutil.copy2(CA_BUNDLE, carried / "ca-certificates" / "etc" / "ssl" / "certs" / CA_BUNDLE.name)
    (carried / "tzdata" / "usr" / "share").mkdir(parents=True)
    shutil.copytree(ZONEINFO, carried / "tzdata" / "usr" / "share" / "zoneinfo", symlinks=True)
    return f'FROM scratch\nCOPY rootfs/ /\n{_BUSYBOX}ENV PATH={PATH}\nCMD ["/bin/sh"]\n'


def _golang(context: Path) -> str:
    _go_root(context / "goroot")
    libraries = context / "libc"
    for library in ("/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2",
                    "/lib/aarch64-linux-gnu/libc.so.6", "/lib/ld-linux-aarch64.so.1"):
        if os.path.exists(library):  # Debian's go command is linked with the C library
            (libraries / library.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(library, libraries / library.lstrip("/"))
    return (f"FROM {standin_tag('alpine')}\nCOPY goroot/ /usr/local/go/\nCOPY libc/ /\n"
            f"ENV GOPATH=/go PATH=/go/bin:/usr/local/go/bin:{PATH} GOPROXY=off CGO_ENABLED=0\n"
            "WORKDIR /go\nRUN mkdir -p /go/bin\n")


def _go_root(goroot: Path) -> None:
    """Debian's Go toolchain as one tree: Debian keeps src/ and pkg/include elsewhere, linked."""
    debian = Path(sorted(glob.glob("/usr/lib/go-1.*"), key=_version)[-1])
    goroot.mkdir(parents=True)
    for part in ("VERSION", "bin", "pkg", "src"):
        source = debian / part
        if source.is_dir():
            shutil.copytree(source, goroot / part, symlinks=False)
        elif source.exists():
            shutil.copy2(source, goroot / part)


def _version(path: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", path.rsplit("go-", 1)[-1]))


def _distroless(context: Path) -> str:
    _base_files(context / "rootfs", busybox=False)
    return f"FROM scratch\nCOPY rootfs/ /\nENV PATH={PATH}\n"


def _python_home() -> Path | None:
    """The running Python's installation, when it is one prefix (as a build from source
    makes): bin/pythonX.Y and lib/pythonX.Y under it. Debian's own is not."""
    home, version = Path(sys.base_prefix), f"{sys.version_info[0]}.{sys.version_info[1]}"
    if home == Path("/usr") or not (home / "lib" / f"python{version}" / "os.py").is_file():
        return None
    return home if (home / "bin" / f"python{version}").exists() else None


def _python(context: Path) -> str:
    home, version = _python_home(), f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert home is not None, "missing() names what the python stand-in lacks: make() builds none then"
    rootfs = context / "rootfs"
    _base_files(rootfs)
    local = rootfs / "usr" / "local"
    (local / "bin").mkdir(parents=True)
    shutil.copy2(os.path.realpath(home / "bin" / f"python{version}"), local / "bin" / f"python{version}")
    for alias in ("python3", "python"):
        (local / "bin" / alias).symlink_to(f"python{version}")
    stdlib = home / "lib" / f"python{version}"
    shutil.copytree(stdlib, local / "lib" / f"python{version}", symlinks=True, ignore=_leave_out(stdlib))
    (local / "lib" / f"python{version}" / "site-packages").mkdir(exist_ok=True)
    programs = [home / "bin" / f"python{version}", *sorted((stdlib / "lib-dynload").glob("*.so"))]
    for library in _shared_libraries([p for p in programs if not p.name.startswith("_tkinter")]):
        inside = Path("/usr/local") / library.relative_to(home) if library.is_relative_to(home) else library
        target = rootfs / str(inside).lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(library, target)
    (rootfs / "sbin").mkdir(exist_ok=True)
    shutil.copy2("/sbin/ldconfig", rootfs / "sbin" / "ldconfig")
    (rootfs / "etc" / "ld.so.conf").write_text("/usr/local/lib\n")
    return (f'FROM scratch\nCOPY rootfs/ /\n{_BUSYBOX}RUN ["/sbin/ldconfig"]\n'
            f"ENV PATH=/usr/local/bin:{PATH} LANG=C.UTF-8 PYTHON_VERSION={sys.version.split()[0]} "
            f"PIP_CERT=/etc/ssl/certs/{CA_BUNDLE.name}\n"
            f'RUN ["python{version}", "-m", "ensurepip", "--default-pip"]\nCMD ["python3"]\n')


def _leave_out(stdlib: Path):
    """What the official slim images leave out too, and what is only this machine's."""
    def ignored(directory: str, names: list[str]) -> set[str]:
        left_out = {name for name in names if name == "__pycache__" or name.endswith(".a")}
        if Path(directory) == stdlib:
            left_out |= {"test", "idlelib", "tkinter", "turtledemo", "site-packages"} & set(names)
        if Path(directory).name == "lib-dynload":
            left_out |= {name for name in names if name.startswith("_tkinter")}
        return left_out
    return ignored


def _shared_libraries(programs: list[Path]) -> list[Path]:
    """The shared libraries the programs load, the dynamic loader among them (as ldd finds them)."""
    libraries: set[Path] = set()
    for program in programs:
        completed = subprocess.run(["ldd", str(program)], capture_output=True, text=True)
        for line in completed.stdout.splitlines():
            found = re.search(r"(?:=>\s*)?(/\S+)\s+\(0x", line)
            if found:
                libraries.add(Path(found.group(1)))
    return sorted(libraries)


def describe(outcome: dict[str, str]) -> list[str]:
    """One line per base image: what `make` did for it."""
    said = {"stand-in": "tagged a local stand-in as it", "present": "the engine has it: left alone"}
    return [f"{image}: {said.get(what, what)}" for image, what in outcome.items()]
