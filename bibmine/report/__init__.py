"""report stage of bibmine."""
