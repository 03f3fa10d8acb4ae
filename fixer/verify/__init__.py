"""`dockerfix verify`: prove a fix by building before and after with a real container engine."""
from .engines import BuildFailed, Engine, EngineError, MissingBaseImage, detect
from .report import format_report
from .run import FixedBuild, FixFailed, VerifyReport, fixed_build, verify

__all__ = ["BuildFailed", "Engine", "EngineError", "FixFailed", "FixedBuild", "MissingBaseImage", "VerifyReport",
           "detect", "fixed_build", "format_report", "verify"]
