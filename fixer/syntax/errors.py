"""The error every layer raises for input it cannot read."""


class DockerfileError(Exception):
    """Bad input: what is wrong and the 1-based line where it is (0 when it has no line)."""

    def __init__(self, message: str, line: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message
