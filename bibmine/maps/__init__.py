"""maps stage of bibmine."""
