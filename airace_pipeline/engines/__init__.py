"""Where extraction runs: worker processes on this machine (process_pool.py) or a Dask cluster
(distributed.py). Kept out of `extraction/`, whose files make the extractor fingerprint: how the work is
spread does not change what is extracted, so editing an engine must not re-extract every document."""
