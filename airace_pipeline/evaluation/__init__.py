"""Measured extraction quality: the labelled cases in data/eval/, scored as table rows.

It lives in the package (not only in the tests) so that `make eval` / `python -m airace_pipeline.evaluation`
and the test that guards the committed baseline run exactly the same code: `cases` reads the gold facts,
`predict` runs the extractor and the pipeline's own clustering per case, `scoring` matches predicted rows
to gold facts and computes precision, recall and F1 per table and per key field, `baseline` keeps the
committed figures.
"""
