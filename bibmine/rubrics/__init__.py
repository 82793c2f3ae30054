"""rubrics stage of bibmine."""
