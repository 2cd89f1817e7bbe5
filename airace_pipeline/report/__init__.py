"""The analysts' report: a static, offline HTML rendering of the published warehouse.

`build.build_report` reads the published DuckDB file (read-only) and writes a folder of HTML pages whose
every chart mark, and every table row, links to the facts behind it and the sentences that state them.
`queries` reads, `links` names the pages and anchors, `charts` holds the Vega-Lite specs (Altair),
`pages` turns rows into what the templates show, `render` writes the files.
"""
