"""The DuckDB side: the table contract, the private working file and the published reader file."""
