"""Base images: references as written, their families (what a base has: shell, package
manager, users), and where a FROM names its image."""
from __future__ import annotations

from functools import lru_cache

from ...records import record
from ...syntax.tree import Instruction, Stage
from .stages import stage_chain

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing
if TYPE_CHECKING:
    from collections.abc import Sequence

SCRATCH = "scratch"
DISTROLESS = "distroless"    # gcr.io/distroless/*: no shell, user nonroot is 65532
CHAINGUARD = "chainguard"    # cgr.dev/chainguard/*: nonroot is 65532 as well
ALPINE = "alpine"            # alpine and busybox: a shell, apk, `nobody` is 65534
DEBIAN = "debian"            # debian, ubuntu and images built on them: apt-get, `nobody` is 65534
GOLANG = "golang"            # the Go toolchain images
WINDOWS = "windows"
UNKNOWN = "unknown"          # a variable, or an image we know nothing about


@record(frozen=True)
class ImageRef:
    """`registry/path/name:tag@digest`, split. Variables are left as written."""

    text: str
    repository: str   # everything before the tag, lower case
    tag: str
    digest: str

    @property
    def name(self) -> str:
        """The last path element: `golang` for `docker.io/library/golang:1.22`."""
        return self.repository.rsplit("/", 1)[-1]

    @property
    def docker_hub_name(self) -> str:
        """The repository as Docker Hub's official images are named: `alpine` for
        `docker.io/library/alpine`."""
        return self.repository.removeprefix("docker.io/").removeprefix("library/")

    @property
    def has_variable(self) -> bool:
        return "$" in self.text


@lru_cache(maxsize=1024)
def parse_image(text: str) -> ImageRef:
    rest, _, digest = text.partition("@")
    slash = rest.rfind("/")
    colon = rest.rfind(":")
    if colon > slash:
        repository, tag = rest[:colon], rest[colon + 1:]
    else:
        repository, tag = rest, ""
    return ImageRef(text, repository.lower(), tag, digest)


def family(image: ImageRef) -> str:
    return _family(image.text)  # cached by the text: hashing the record would cost more than the answer


@lru_cache(maxsize=1024)
def _family(text: str) -> str:
    image = parse_image(text)
    repository, name, tag = image.repository, image.name, image.tag.lower()
    if image.has_variable:
        return UNKNOWN
    if repository == SCRATCH:
        return SCRATCH
    if "windows" in repository or name in ("nanoserver", "servercore") or "windowsservercore" in tag \
            or "nanoserver" in tag:
        return WINDOWS
    if repository.startswith("gcr.io/distroless/"):
        return DISTROLESS
    if repository.startswith("cgr.dev/chainguard/"):
        return CHAINGUARD
    if name == GOLANG:
        return GOLANG
    if name in ("alpine", "busybox") or "alpine" in tag:
        return ALPINE
    if name in ("debian", "ubuntu") or any(code in tag for code in DEBIAN_CODENAMES):
        return DEBIAN
    return UNKNOWN


DEBIAN_CODENAMES = ("bookworm", "bullseye", "buster", "trixie", "jammy", "noble", "focal", "slim")


def external_base(stages: Sequence[Stage], stage: Stage) -> ImageRef:
    """The image a stage really starts from, following `FROM <earlier stage>`."""
    return parse_image(stage_chain(stages, stage)[-1].base)


def image_span(from_node: Instruction) -> tuple[int, int]:
    """Source span of the image reference in a FROM instruction (its first argument)."""
    text, start = from_node.logical.text, from_node.arguments_start
    while start < len(text) and text[start] in " \t":
        start += 1
    end = start
    while end < len(text) and text[end] not in " \t":
        end += 1
    span = from_node.logical.source_span(start, end)
    return span.start, span.end
