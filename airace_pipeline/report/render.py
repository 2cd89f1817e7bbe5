"""Writing the report's files: Jinja templates, the plotting library's JavaScript beside them, and the
folder swapped into place whole.

The report is rendered into a fresh folder beside the target, then renamed over it (the old one renamed
aside first and deleted after), so a reader opening the report meets the previous report or the new one,
never a mix of pages from both or a page half written.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import jinja2

from airace_pipeline.report.views import FactPage, TopicPage

BUNDLE = "assets/vega-bundle.js"
STYLE = "assets/report.css"
# A staging or old folder left by a killed build is removed by a later build once it is this old (a
# younger one may belong to a build still running).
LEFTOVER_AGE_S = 3600


@cache
def _environment() -> jinja2.Environment:
    """Autoescaping on for every template: titles, sentences and URLs come from the documents."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("airace_pipeline.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and Vega-Embed as one script, from vl-convert (no CDN: the report opens offline).
    The default bundle sets `window.vegaEmbed`, so a plain <script src> loads it from a file:// page,
    where module scripts from files would be refused. Cached: building it takes about 1.5 s."""
    import altair as alt
    import vl_convert

    major_minor = ".".join(alt.SCHEMA_VERSION.split(".")[:2])
    return vl_convert.javascript_bundle(vl_version=major_minor)


def render_files(
    folder: Path, topic_pages: Sequence[TopicPage], fact_pages: Sequence[FactPage], context: dict
) -> list[str]:
    """Write every page, the stylesheet and the script bundle into `folder`; return the pages written."""
    env = _environment()
    navigation = [(page.path, page.title) for page in topic_pages]
    written = []
    for page in topic_pages:
        specs = {chart.name: chart.spec for chart in page.charts if chart.spec is not None}
        html = env.get_template("topic.html").render(
            page=page, specs=specs, navigation=navigation, root="", **context
        )
        written.append(_write(folder / page.path, html))
    for page in fact_pages:
        depth = page.path.count("/")
        html = env.get_template("facts.html").render(
            page=page, navigation=navigation, root="../" * depth, **context
        )
        written.append(_write(folder / page.path, html))
    _write(folder / STYLE, env.get_template("report.css").render())
    _write(folder / BUNDLE, vega_bundle())
    return written


def _write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path.name


def replace_folder(target: Path, fill: Callable[[Path], object]) -> None:
    """Fill a new folder beside `target` with `fill`, then put it in `target`'s place.

    Two renames on the same file system: the old folder aside, the new one in. A reader sees the old
    report or the new one; between the two renames (microseconds) the folder is missing, never mixed.
    A failure while filling leaves the old report untouched and removes the new folder.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        fill(staging)
        staging.chmod(0o755)  # mkdtemp's folder is private; the report is meant to be read
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:12]}")
            os.rename(target, old)
        try:
            os.rename(staging, target)
        except OSError:
            if old is not None:
                os.rename(old, target)
            raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(target: Path) -> None:
    now = time.time()
    for pattern in (f".{target.name}.building-*", f".{target.name}.old-*"):
        for leftover in target.parent.glob(pattern):
            with contextlib.suppress(OSError):
                if now - leftover.stat().st_mtime > LEFTOVER_AGE_S:
                    shutil.rmtree(leftover)
