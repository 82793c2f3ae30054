"""bibmine: text mining and bibliometrics for regional smart specialization."""

__version__ = "0.1.0"
