"""pandera models of every table, and the split of a dataframe into valid rows and quarantine."""
