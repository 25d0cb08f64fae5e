"""A written letter as Markdown or HTML: read back from the Word file it was filled into, so the
three forms hold the same words whatever the programme changed in its template.

Headings keep their level, tables their rows, other paragraphs become paragraphs (a bold
paragraph stays bold). The HTML prints on A4 with page numbers (print CSS @page).
"""

from __future__ import annotations

import io
import re
from html import escape
from typing import Any

PRINT_CSS = """
@page { size: A4; margin: 20mm 20mm 22mm 20mm;
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 9pt; } }
body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.4;
  max-width: 170mm; margin: 0 auto; color: #000; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; } h3 { font-size: 11pt; }
h1, h2, h3 { page-break-after: avoid; break-after: avoid; }
table { border-collapse: collapse; width: 100%; page-break-inside: auto; }
tr { page-break-inside: avoid; break-inside: avoid; }
thead { display: table-header-group; }
td, th { border: 1px solid #666; padding: 2pt 5pt; text-align: left; vertical-align: top; }
p { margin: 0 0 6pt 0; orphans: 3; widows: 3; }
@media screen { body { margin: 2em auto; } }
"""

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def blocks(letter: Any) -> list[tuple]:
    """("h", level, text) / ("li" | "p", bold, text) / ("table", rows) in document order, from
    the filled document itself (or its bytes); a list of them is passed through."""
    if isinstance(letter, list):
        return letter
    return list(_blocks(letter))


def _style_id(p: Any) -> str:
    # The paragraph's own style id, read from its XML: looking the style up by name walks
    # every style in the document, for every paragraph.
    ppr = p._p.pPr
    return ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else ""


def _blocks(letter: Any):
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Document(io.BytesIO(letter)) if isinstance(letter, bytes) else letter
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(child, doc)
            text = " ".join(p.text.split())
            if not text:
                continue
            style = _style_id(p)
            if style == "Title":
                yield ("h", 1, text)
            elif style.startswith("Heading"):
                level = int(style[-1]) if style[-1:].isdigit() else 2
                yield ("h", min(level + 1, 3), text)
            elif style.startswith("List"):
                yield ("li", False, text)
            else:
                bold = bool(p.runs) and all(r.bold for r in p.runs if r.text.strip())
                yield ("p", bold, text)
        elif tag == "tbl":
            rows = [[" ".join(c.text.split()) for c in row.cells] for row in Table(child, doc).rows]
            rows = [r for r in rows if any(r)]
            if rows:
                yield ("table", rows)


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def to_markdown(letter: Any) -> str:
    out: list[str] = []
    for block in blocks(letter):
        if block[0] == "h":
            out += ["#" * block[1] + " " + _md(block[2]), ""]
        elif block[0] == "li":
            out += [f"- {_md(block[2])}", ""]
        elif block[0] == "p":
            out += [f"**{_md(block[2])}**" if block[1] else _md(block[2]), ""]
        else:
            rows = block[1]
            width = max(len(r) for r in rows)
            rows = [r + [""] * (width - len(r)) for r in rows]
            out.append("| " + " | ".join(_md(c) for c in rows[0]) + " |")
            out.append("|" + " --- |" * width)
            out += ["| " + " | ".join(_md(c) for c in r) + " |" for r in rows[1:]]
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def to_html(letter: Any, title: str) -> str:
    body: list[str] = []
    for block in blocks(letter):
        if block[0] == "h":
            body.append(f"<h{block[1]}>{escape(block[2])}</h{block[1]}>")
        elif block[0] == "li":
            body.append(f"<ul><li>{escape(block[2])}</li></ul>")
        elif block[0] == "p":
            text = escape(block[2])
            body.append(f"<p><strong>{text}</strong></p>" if block[1] else f"<p>{text}</p>")
        else:
            rows = block[1]
            head = "".join(f"<th>{escape(c)}</th>" for c in rows[0])
            rest = "".join(
                "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows[1:]
            )
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rest}</tbody></table>")
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{PRINT_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def words_of(document: Any) -> str:
    """Every paragraph's words, one per line, straight from the filled XML (tables and all): for
    the wording check, at a fraction of the cost of reading the letter back block by block.

    Read from a plain copy of the body: python-docx's own element classes make walking the tree
    slow, and their text iteration repeats a run's words."""
    from docx.oxml.ns import qn
    from lxml import etree

    body = etree.fromstring(etree.tostring(document.element.body))
    tag = qn("w:p")
    return "\n".join("".join(p.itertext()) for p in body.iter(tag))


def to_plain(letter: Any) -> str:
    """The letter's words, for a preview on screen and for the wording check."""
    out: list[str] = []
    for block in blocks(letter):
        if block[0] == "table":
            out += ["  ".join(r) for r in block[1]]
        elif block[0] == "li":
            out.append("- " + block[2])
        else:
            out.append(block[2])
        out.append("")
    return "\n".join(out).rstrip() + "\n"
