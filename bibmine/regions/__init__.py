"""regions stage of bibmine."""
