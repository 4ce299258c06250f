"""Issue 3, static half: every XSS payload, in an article body and in every front-matter
field (see ``xss_site``), gives built pages with no script element, event-handler attribute,
script URL or other active content that the payload introduced.

Every built ``.html`` page is parsed twice, by lxml.html (libxml2) and by lexbor (an HTML5
parser, as browsers parse), and every element is checked against an allow-list of what the
theme itself emits. Every ``.xml``/``.json`` file the build writes (feeds, sitemaps, search
data) is parsed strictly and checked too, including any HTML carried inside it.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import lxml.etree
import lxml.html
import pytest
from selectolax.lexbor import LexborHTMLParser

from tests import xss_site

# --- what counts as active content -------------------------------------------------------

URL_ATTRIBUTES = frozenset(
    "href src action formaction xlink:href srcset poster data background lowsrc dynsrc codebase "
    "cite longdesc profile usemap classid archive ping manifest icon imagesrcset".split())
FORBIDDEN_TAGS = frozenset(
    "iframe frame frameset object embed applet form base style isindex portal fencedframe".split())
SVG_ANIMATION = frozenset("animate set animatetransform animatemotion".split())
BAD_SCHEMES = frozenset({"javascript", "vbscript", "data", "livescript", "mocha"})
BAD_STYLE = ("expression(", "url(", "-moz-binding", "behavior:", "javascript:", "@import")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_URL_NOISE = re.compile(r"[\t\n\r]")  # browsers drop these anywhere in a URL
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.S)
OWN_SCRIPT_DIRS = ("static/", "pagefind/")


def url_scheme(value: str) -> str | None:
    """The scheme a browser sees in an attribute value (entities are already decoded)."""
    text = _URL_NOISE.sub("", value).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
                                           "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c"
                                           "\x1d\x1e\x1f\x20").lower()
    match = _SCHEME.match(text)
    return match.group(1) if match else None


def bad_url(value: str, *, tag: str = "", attr: str = "") -> str | None:
    """Why a URL attribute value is a script URL, or None."""
    candidates = [value]
    if attr.endswith("srcset"):
        candidates = [part.strip().split(" ")[0] for part in value.split(",")]
    for candidate in candidates:
        scheme = url_scheme(candidate)
        if scheme not in BAD_SCHEMES:
            continue
        if scheme == "data" and tag == "img" and attr == "src" \
                and _URL_NOISE.sub("", candidate).strip().lower().startswith("data:image/"):
            continue
        return f"{scheme}: URL"
    return None


def css_text(style: str) -> str:
    """A style value as CSS reads it: comments out, escapes decoded, no whitespace, lower case."""
    def unescape(match: re.Match[str]) -> str:
        if match.group(1):
            try:
                return chr(int(match.group(1), 16))
            except (ValueError, OverflowError):
                return ""
        return match.group(2)
    text = _CSS_ESCAPE.sub(unescape, _CSS_COMMENT.sub("", style))
    return re.sub(r"\s+", "", text).lower()


@dataclass
class Element:
    """One element as a parser saw it, with what is needed to judge and attribute it."""

    tag: str
    attrs: list[tuple[str, str]]
    text: str
    in_head: bool
    node: object = field(repr=False, default=None)

    def get(self, name: str) -> str | None:
        for key, value in self.attrs:
            if key == name:
                return value
        return None


def element_findings(el: Element, base_path: str) -> list[str]:
    """Everything active about one element that the theme would never emit."""
    found = []
    tag = el.tag
    if tag == "script":
        why = script_problem(el, base_path)
        if why:
            found.append(f"<script> {why}")
    if tag in FORBIDDEN_TAGS:
        found.append(f"<{tag}> element")
    if tag == "meta" and el.get("http-equiv") is not None \
            and el.get("http-equiv").strip().lower() != "content-type":
        found.append(f"<meta http-equiv={el.get('http-equiv')!r}>")
    if tag == "link":
        href = el.get("href") or ""
        if not el.in_head:
            found.append("<link> outside <head>")
        elif not (href.startswith(base_path) or href.startswith(f"http://127.0.0.1{base_path}")):
            found.append(f"<link> to {href!r}")
    if tag in SVG_ANIMATION:
        for key in ("from", "to", "values", "by"):
            value = el.get(key)
            if value and any(bad_url(part) for part in value.split(";")):
                found.append(f"<{tag} {key}=…> animates to a script URL")
    for name, value in el.attrs:
        lname = name.lower()
        if lname.startswith("on"):
            found.append(f"event-handler attribute {name}={value[:60]!r}")
        elif lname == "srcdoc":
            found.append("srcdoc attribute")
        elif lname in URL_ATTRIBUTES:
            why = bad_url(value, tag=tag, attr=lname)
            if why:
                found.append(f"{why} in {tag}[{name}]={value[:80]!r}")
        elif lname == "style":
            css = css_text(value)
            for bad in BAD_STYLE:
                if bad in css:
                    found.append(f"style attribute with {bad!r}: {value[:80]!r}")
                    break
    return found


def script_problem(el: Element, base_path: str) -> str | None:
    """None for the two kinds of script the theme emits; otherwise what is wrong."""
    names = {name.lower() for name, _ in el.attrs}
    type_ = (el.get("type") or "").strip().lower()
    src = el.get("src")
    if type_ == "application/ld+json" and src is None and names == {"type"}:
        if not el.in_head:
            return "JSON-LD outside <head>"
        if "<" in el.text:
            return "JSON-LD with a raw '<'"
        try:
            json.loads(el.text)
        except ValueError:
            return f"JSON-LD that is not JSON: {el.text[:80]!r}"
        return None
    if src is not None:
        own = any(re.fullmatch(re.escape(base_path + d) + r"[A-Za-z0-9._\-/]+", src) for d in OWN_SCRIPT_DIRS)
        if own and not el.text.strip() and names <= {"src", "type", "defer", "async"}:
            return None
        return f"src={src[:80]!r}"
    return f"inline {el.text.strip()[:80]!r}"


# --- two parsers, one element stream -----------------------------------------------------

def lxml_elements(page: str) -> Iterator[Element]:
    root = lxml.html.document_fromstring(page)
    head = root.find("head")
    head_nodes = set(head.iter()) if head is not None else set()
    for node in root.iter():
        if not isinstance(node.tag, str):  # comments, processing instructions
            continue
        tag = node.tag.lower().rsplit("}", 1)[-1]
        text = node.text_content() if tag in ("script", "style") else ""
        yield Element(tag, [(str(k), str(v)) for k, v in node.attrib.items()], text, node in head_nodes, node)


def lexbor_elements(page: str) -> Iterator[Element]:
    tree = LexborHTMLParser(page)
    for scope, in_head in ((tree.head, True), (tree.body, False)):
        if scope is None:
            continue
        for node in scope.traverse(include_text=False):
            tag = (node.tag or "").lower()
            if tag.startswith("-"):  # -comment, -text
                continue
            text = node.text(deep=True) if tag in ("script", "style") else ""
            attrs = [(str(k), "" if v is None else str(v)) for k, v in node.attributes.items()]
            yield Element(tag, attrs, text, in_head, node)


def _lxml_links(node) -> Iterator[str]:
    for anc in [node, *node.iterancestors()]:
        if anc.tag == "a" and anc.get("href"):
            yield anc.get("href")
        if anc.tag == "li" and "article-card" in (anc.get("class") or ""):
            yield from (a.get("href") for a in anc.iter("a") if a.get("href"))


def _lexbor_links(node) -> Iterator[str]:
    anc = node
    while anc is not None:
        if anc.tag == "a" and anc.attributes.get("href"):
            yield anc.attributes["href"]
        if anc.tag == "li" and "article-card" in (anc.attributes.get("class") or ""):
            yield from (a.attributes.get("href") for a in anc.css("a[href]"))
        anc = anc.parent


PARSERS: dict[str, tuple[Callable[[str], Iterator[Element]], Callable[[object], Iterator[str]]]] = {
    "lxml": (lxml_elements, _lxml_links),
    "lexbor": (lexbor_elements, _lexbor_links),
}


def html_findings(page: str, base_path: str) -> list[tuple[str, str, Element]]:
    """(parser, finding, element) for every problem either parser sees."""
    out = []
    for parser, (elements, _) in PARSERS.items():
        for el in elements(page):
            for finding in element_findings(el, base_path):
                out.append((parser, finding, el))
    return out


def fragment_findings(fragment: str, base_path: str) -> list[str]:
    """HTML carried inside a feed or JSON value, checked like a page body."""
    page = f"<!doctype html><html><head></head><body>{fragment}</body></html>"
    return sorted({f"{parser}: {finding}" for parser, finding, _ in html_findings(page, base_path)})


# --- XML and JSON ------------------------------------------------------------------------

XML_URL_TEXT = frozenset("link loc url uri icon logo docs comments".split())
# Where a feed reader renders HTML: RSS <description> and <content:encoded> always; Atom
# text constructs only with type="html" (type="xhtml" children are checked as elements).
RSS_HTML_TEXT = frozenset("description encoded".split())
ATOM_TEXT = frozenset("title subtitle summary content rights".split())
ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_URL_KEYS = frozenset("url href src link image thumbnail icon logo cover banner_image favicon avatar".split())


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].split(":")[-1].lower()


def _renders_html(node) -> bool:
    tag = _local(node.tag)
    if node.tag.startswith("{" + ATOM_NS + "}"):
        return tag in ATOM_TEXT and (node.get("type") or "text").lower() in ("html", "text/html")
    return tag in RSS_HTML_TEXT


def xml_findings(data: bytes, base_path: str) -> list[str]:
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        root = lxml.etree.fromstring(data, parser)
    except lxml.etree.XMLSyntaxError as exc:
        return [f"not well-formed XML: {exc}"]
    found = []
    for node in root.iter():
        if isinstance(node, lxml.etree._ProcessingInstruction):
            if bad_url(node.get("href") or ""):
                found.append(f"processing instruction {node.text[:80]!r}")
            continue
        if not isinstance(node.tag, str):
            continue
        tag = _local(node.tag)
        if tag == "script":
            found.append(f"<{node.tag}> element")
        for name, value in node.attrib.items():
            lname = _local(name)
            if lname.startswith("on"):
                found.append(f"event-handler attribute {lname} on <{tag}>")
            if lname in ("href", "src") and bad_url(value):
                found.append(f"{bad_url(value)} in <{tag} {lname}={value[:80]!r}>")
        text = node.text or ""
        if tag in XML_URL_TEXT and bad_url(text.strip()):
            found.append(f"{bad_url(text.strip())} as <{tag}> text: {text.strip()[:80]!r}")
        if "<" in text and _renders_html(node):
            found += [f"HTML in <{tag}> ({text.strip()[:60]!r}): {f}" for f in fragment_findings(text, base_path)]
    return found


def json_findings(data: bytes, base_path: str) -> list[str]:
    """JSON Feed and search data: URL-valued keys and *_html values (HTML by contract)."""
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return [f"not valid UTF-8 JSON: {exc}"]
    found: list[str] = []

    def walk(item: object, key: str) -> None:
        if isinstance(item, dict):
            for k, v in item.items():
                walk(v, str(k).lower())
        elif isinstance(item, list):
            for v in item:
                walk(v, key)
        elif isinstance(item, str):
            if (key in JSON_URL_KEYS or key.endswith("_url")) and bad_url(item):
                found.append(f"{bad_url(item)} as {key!r}: {item[:80]!r}")
            if key.endswith("html") and "<" in item:
                found.extend(f"HTML in {key!r}: {f}" for f in fragment_findings(item, base_path))
    walk(value, "")
    return found


# --- attribution -------------------------------------------------------------------------

def attribute(site: xss_site.PayloadSite, path: Path, page: str, parser: str, el: Element) -> str:
    """`case: payload` for the article an offending element belongs to."""
    links = PARSERS[parser][1]
    for href in links(el.node):
        case = site.case_of(href)
        if case:
            return site.describe_cases([case])
    own = site.case_of(site.url_path(path))
    return site.describe_cases([own]) if own else site.describe(page)


# --- the tests ---------------------------------------------------------------------------

@pytest.fixture(scope="session")
def site(tmp_path_factory) -> xss_site.PayloadSite:
    if not xss_site.PAYLOADS_FILE.is_file():
        pytest.skip(f"{xss_site.PAYLOADS_FILE} not present")
    return xss_site.payload_site(tmp_path_factory)


def test_build_writes_pages_for_the_payload_articles(site):
    """The build never raises; each case gives article pages, or is refused with a diagnostic."""
    payloads = len(site.payloads)
    assert payloads >= 400, f"only {payloads} payloads read from {xss_site.PAYLOADS_FILE}"
    built = Counter(c.rsplit("-", 1)[0] for c in site.built_cases())
    refused = {str(d.path).split("/", 1)[1].rsplit(".", 1)[0] for d in site.diagnostics if d.level == "error"}
    # every payload article is on the site or was refused with an error naming its file
    for case in xss_site.CASES:
        for i in range(payloads):
            if f"{case}-{i}" not in site.built_cases():
                assert f"{case}/{i:03d}" in refused, \
                    f"{case}-{i} ({site.payload_of(f'{case}-{i}')!r}) neither built nor refused"
    for case in ("body", "sina", "fm", "txt"):
        assert built[case] == payloads, f"case {case}: {built[case]} of {payloads} article pages built"
    assert built["page"] >= 0.8 * payloads, f"case page: only {built['page']} of {payloads} built"
    # a payload is no date: every date case is refused, each with a message about its date
    date_errors = [d for d in site.diagnostics if "/date/" in str(d.path) and d.level == "error"]
    assert built["date"] + len(date_errors) == payloads
    assert all("date" in d.message for d in date_errors)
    assert len(site.html_files()) > sum(built.values()), "listing pages are missing"


def test_html_pages_have_no_active_content_from_payloads(site):
    pages = site.html_files()
    problems = []
    checked = 0
    for path in pages:
        page = path.read_text(encoding="utf-8")
        checked += 1
        for parser, finding, el in html_findings(page, site.base_path):
            problems.append(f"{path.relative_to(site.output)} [{parser}] {finding} "
                            f"<- {attribute(site, path, page, parser, el)}")
    print(f"\nstatic XSS check: {checked} HTML pages, {len(problems)} findings")
    assert checked == len(pages) > 1000
    assert not problems, f"{len(problems)} findings:\n" + "\n".join(sorted(set(problems))[:60])


def test_feeds_sitemaps_and_search_data_are_inert(site):
    files = site.data_files()
    problems = []
    for path in files:
        data = path.read_bytes()
        found = json_findings(data, site.base_path) if path.suffix.lower() in (".json", ".webmanifest") \
            else xml_findings(data, site.base_path)
        problems += [f"{path.relative_to(site.output)}: {f}" for f in found]
    print(f"\nstatic XSS check: {len(files)} XML/JSON files, {len(problems)} findings")
    assert not problems, f"{len(problems)} findings:\n" + "\n".join(problems[:60])


# --- the checker itself catches what it must (so a green run means something) ----------

BASE = "/digest/"
CLEAN_PAGE = f"""<!doctype html><html><head><meta charset="utf-8"><title>t</title>
<link rel="stylesheet" href="{BASE}static/style.css"><link rel="canonical" href="http://127.0.0.1{BASE}a/">
<script type="application/ld+json">{{"headline": "\\u003cscript\\u003e"}}</script>
<script src="{BASE}pagefind/pagefind-ui.js" defer></script></head>
<body><a href="https://example.org/">x</a><img src="data:image/png;base64,AAAA">
<p>&lt;script&gt;alert(1)&lt;/script&gt; onclick=alert(1) javascript:alert(1)</p></body></html>"""

BAD_BODIES = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://ha.ckers.org/xss.js></SCRIPT>",
    f'<script src="{BASE}static/x.js">alert(1)</script>',
    '<script type="application/ld+json">{"a": 1}</script>',  # in body, not from the theme
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href=" &#14; javascript:alert(1)">x</a>',
    "<a href=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058"
    "&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>x</a>",
    '<a href="VBSCRIPT:msgbox(1)">x</a>',
    '<img src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    '<a href="data:image/svg+xml,<svg onload=alert(1)>">x</a>',
    '<img srcset="x.png 1x, javascript:alert(1) 2x">',
    '<video poster="javascript:alert(1)"></video>',
    '<object data="javascript:alert(1)"></object>',
    "<iframe src=x></iframe>", "<embed src=x>", "<form></form>", "<base href=//evil/>",
    "<style>body{}</style>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<div style="width: expression(alert(1))">x</div>',
    '<div style="background:u\\72l(javascript:alert(1))">x</div>',
    '<div style="xss:expr/*XSS*/ession(alert(1))">x</div>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg><animate attributeName=href to="javascript:alert(1)"/></svg>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<link rel="stylesheet" href="http://ha.ckers.org/xss.css">',
]


def test_checker_accepts_the_theme_markup():
    assert html_findings(CLEAN_PAGE, BASE) == []


@pytest.mark.parametrize("body", BAD_BODIES)
def test_checker_flags_active_content(body):
    page = CLEAN_PAGE.replace("<body>", "<body>" + body)
    assert html_findings(page, BASE), f"checker missed {body!r}"


def test_checker_flags_active_content_in_feeds_and_json():
    feed = (b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
            b"<item><title>&lt;b&gt;ok&lt;/b&gt;</title><link>javascript:alert(1)</link>"
            b"<description>&lt;img src=x onerror=alert(1)&gt;</description></item></channel></rss>")
    found = xml_findings(feed, BASE)
    assert any("<link> text" in f for f in found) and any("onerror" in f for f in found), found
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="javascript:alert(1)"/>'
            b'<content type="html">&lt;script&gt;alert(1)&lt;/script&gt;</content>'
            b'<summary type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></div></summary>'
            b'</entry></feed>')
    assert len(xml_findings(atom, BASE)) >= 3
    assert xml_findings(b"<rss><channel>", BASE)[0].startswith("not well-formed")
    assert len(json_findings(b'{"items": [{"url": "javascript:alert(1)", "content_html": "<svg onload=alert(1)>"}]}',
                             BASE)) >= 2
    # plain-text fields may hold a payload as text: that is the escaping working
    assert json_findings(b'{"url": "https://example.org/", "title": "<script>alert(1)</script>"}', BASE) == []
    assert xml_findings(b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&lt;script&gt;alert(1)'
                        b'&lt;/script&gt;</title></entry></feed>', BASE) == []
