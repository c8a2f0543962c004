"""eSIMfly Desktop: a counter console for eSIM resellers."""

# The package's version; pyproject.toml reads it from here when building.
__version__ = "0.1.0"
