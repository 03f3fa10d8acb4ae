"""Apply the rules' fixes until the file stops changing."""
from .fix import FixError, FixResult, check, fix

__all__ = ["FixError", "FixResult", "check", "fix"]
