"""`dockerfix verify`: prove a fix by building before and after with a real container engine."""
from .engines import Engine, EngineError, detect
from .report import format_report
from .run import VerifyReport, verify

__all__ = ["Engine", "EngineError", "VerifyReport", "detect", "format_report", "verify"]
