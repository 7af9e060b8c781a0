"""The official e-invoice business rules, run offline with saxonche (Saxon-HE, no Java).

The stylesheets are the CEN EN 16931 UBL rules and the SI-UBL 2.0 (NLCIUS) rules in
shared/fixtures/xsl. They turn a UBL document into SVRL; every `failed-assert` with
flag="fatal" is a broken rule. Compiling takes about a second each, so once per test run.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lxml import etree
from saxonche import PySaxonProcessor

XSL = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "xsl"
RULES = {
    "en16931": XSL / "EN16931-UBL-validation.xslt",
    "si-ubl": XSL / "si-ubl-2.0.xsl",
}
SVRL = "http://purl.oclc.org/dsdl/svrl"


@cache
def _processor() -> PySaxonProcessor:
    return PySaxonProcessor(license=False)


@cache
def _executable(rules: str):
    compiler = _processor().new_xslt30_processor()
    return compiler.compile_stylesheet(stylesheet_file=str(RULES[rules]))


def failures(xml: bytes, rules: str) -> list[str]:
    """The fatal rule failures of a UBL document, as '[BR-CO-16] text' strings."""
    document = _processor().parse_xml(xml_text=xml.decode("utf-8"))
    report = _executable(rules).transform_to_string(xdm_node=document)
    svrl = etree.fromstring(report.encode("utf-8"))
    found = []
    for failed in svrl.iter(f"{{{SVRL}}}failed-assert"):
        if failed.get("flag", "fatal") != "fatal":
            continue
        text = " ".join("".join(failed.itertext()).split())
        found.append(f"{failed.get('id', '')} {text} @ {failed.get('location', '')}".strip())
    return found
