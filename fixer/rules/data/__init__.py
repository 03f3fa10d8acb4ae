"""Data tables the rules ship: Python literals, so that reading one costs an import of a
compiled module, not a TOML parser (docs/performance.md)."""
