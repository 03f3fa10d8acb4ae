"""The lossless syntax tree of Dockerfiles and the shell view of RUN."""
from .errors import DockerfileError
from .parser import parse
from .tree import Dockerfile, Instruction, Stage

__all__ = ["DockerfileError", "Dockerfile", "Instruction", "Stage", "parse"]
