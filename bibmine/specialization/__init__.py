"""specialization stage of bibmine."""
