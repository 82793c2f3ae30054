"""corpus stage of bibmine."""
