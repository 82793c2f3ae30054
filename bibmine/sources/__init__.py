"""Sources: readers of vendor export files and crawlers of bibliographic APIs."""
