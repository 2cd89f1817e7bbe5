"""Refuse XML that could make the parser fetch or expand anything, before any real parser sees it.

feedparser hands well-formed documents to expat with its own handlers; expat does not fetch external
entities by default, but it does expand internal ones (the "billion laughs"). defusedxml's checks are the
maintained answer to both, so every XML payload goes through `check_xml` first and is only parsed if it
passes: no entity declarations, no external references. A DTD without entities (RSS 0.91's) is fine.
"""

from __future__ import annotations

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring


class UnsafeXml(ValueError):
    """The payload is malformed, or declares entities or external references."""


def check_xml(body: bytes) -> None:
    try:
        fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise UnsafeXml(f"unsafe XML refused ({type(exc).__name__}: {exc})") from exc
    except ParseError as exc:
        raise UnsafeXml(f"malformed XML: {exc}") from exc
