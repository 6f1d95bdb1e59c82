#!/usr/bin/env python3
"""Checks what headless Chromium made of an HTML report: the DOM it dumped and the network log it wrote.

    check.py report  DOM NETLOG --claims N          the example: claims and graph present, nothing ran or loaded
    check.py hostile DOM NETLOG                     the hostile story: its markup is inert text, its control
                                                    characters shown as <U+XXXX>
    check.py control DOM NETLOG                     a page that does run a script and load an image: proves
                                                    the checks above would notice (they must fail on it)
    check.py embed [--raw] JSONLD...                prints a page embedding each JSON-LD file in a
                                                    <script type="application/ld+json"> (no CSP; scripts of its
                                                    own record the @graph size of each); --raw re-serialises
                                                    the values without escaping, as a careless tool would
    check.py jsonld DOM NETLOG --nodes N,M          that page: the elements held, each parsed with N, M nodes,
                                                    nothing from the documents ran or loaded
    check.py jsonld-control DOM NETLOG --nodes N,M  the --raw page: the same checks must fail on it
    check.py probe REPORT W H                       prints a page holding the report in a W x H frame and a
                                                    script of its own that measures the frame's layout
    check.py layout DOM                             that page as rendered: nothing outside a scroll box or
                                                    the graph box wider than the window, the page no wider
                                                    than the window, and a claim whole in the first screen

Exits 0 when every check passes, 1 with one line per failure otherwise. Standard library only.
"""

import json
import sys
from html.parser import HTMLParser

# Elements a report never contains: their presence means markup from a story was parsed as markup.
FORBIDDEN = {"script", "img", "iframe", "object", "embed", "link", "base", "form", "input", "textarea", "audio",
             "video", "source", "frame", "frameset", "applet", "noscript", "image", "use", "feimage", "picture",
             "track", "portal", "foreignobject"}
# Attributes that load something. Chromium's net log does not show file:// sub-resources, so the DOM must hold
# none of these for "no request" to cover files next to the report as well as the network.
LOADING = {"src", "srcset", "data", "poster", "background", "xlink:href", "action", "formaction", "ping", "manifest"}
# Characters no report may show raw (C0 but tab and newline, DEL, C1, bidi controls, non-characters): the
# reports write them as <U+XXXX>.
RAW_CONTROLS = {chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0x61C, 0x200E, 0x200F,
                                 *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFFFE, 0xFFFF]}
JSONLD_TITLE = "JSON-LD embedding test"


class Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []          # (tag, attrs dict)
        self.title = ""
        self.text = []
        self._in_title = False
        self._in_style = False
        self.styles = []
        self._in_script = False
        self.scripts = []       # (attrs dict, text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "title" and not self.title:
            self._in_title = True
        if tag == "style":
            self._in_style = True
            self.styles.append("")
        if tag == "script":
            self._in_script = True
            self.scripts.append((dict(attrs), ""))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "style":
            self._in_style = False
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._in_style:
            self.styles[-1] += data
        elif self._in_script:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        else:
            self.text.append(data)


def load_dom(path):
    d = Dom()
    with open(path, encoding="utf-8") as f:
        d.feed(f.read())
    d.close()
    return d


def page_requests(netlog_path):
    """URLs the page itself asked the network stack for (not the browser's own background traffic, which is
    keyed to no site or to the browser vendor's): every event whose isolation key names the file:// page."""
    with open(netlog_path, encoding="utf-8") as f:
        raw = f.read()
    try:
        log = json.loads(raw)
    except json.JSONDecodeError:
        # Chromium may leave the closing brackets off when it is killed; the events are still usable.
        log = json.loads(raw.rstrip().rstrip(",") + "]}")
    urls = set()
    for e in log.get("events", []):
        p = e.get("params") or {}
        url = p.get("url")
        if not url:
            continue
        nik = p.get("network_isolation_key", "")
        if "file://" in nik or "127.0.0.1:9" in url:
            urls.add(url)
    return sorted(urls)


def common(dom, netlog, failures):
    for tag, attrs in dom.tags:
        if tag in FORBIDDEN:
            failures.append(f"the DOM holds a <{tag}> element: {attrs}")
        for name, value in attrs.items():
            if name.startswith("on"):
                failures.append(f"<{tag}> has an event-handler attribute {name}={value!r}")
            if name in ("data-pwned", "data-ran"):
                failures.append(f"a script ran: <{tag} {name}={value!r}>")
        for name in LOADING & attrs.keys():
            failures.append(f"<{tag}> has a loading attribute {name}={attrs[name]!r}")
        if "href" in attrs and tag != "a":
            failures.append(f"<{tag}> has an href: {attrs['href']!r}")
        for name, value in attrs.items():
            v = (value or "").replace(" ", "").lower()
            if "url(" in v and not all(part.startswith("#") for part in v.split("url(")[1:]):
                failures.append(f"<{tag} {name}> refers to a URL: {value!r}")
        if tag == "a" and "href" in attrs:
            href = (attrs["href"] or "").strip().lower()
            if not (href.startswith("#") or href.startswith("https://") or href.startswith("http://")):
                failures.append(f"a link to {attrs['href']!r}")
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            failures.append("a meta refresh")
    csp = [a.get("content", "") for t, a in dom.tags if t == "meta" and (a.get("http-equiv") or "").lower()
           == "content-security-policy"]
    if not any("default-src 'none'" in c for c in csp):
        failures.append("no Content-Security-Policy meta tag with default-src 'none'")
    for url in page_requests(netlog):
        failures.append(f"the page attempted a request: {url}")
    if not dom.title.startswith("Reliability report: "):
        failures.append(f"document title changed (a script ran?): {dom.title!r}")


def embed(argv):
    """The page embedding JSON-LD files (argv: [--raw] FILE...), on stdout."""
    raw = "--raw" in argv
    files = [a for a in argv if a != "--raw"]
    # The page's first script disarms the dialogs a breakout would open (alert() blocks headless Chromium).
    parts = [f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{JSONLD_TITLE}</title>",
             "<script>window.alert=window.confirm=window.prompt=function(){};</script>"]
    for path in files:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if raw:
            text = json.dumps(json.loads(text), ensure_ascii=False, indent=2)
        parts.append(f"<script type=\"application/ld+json\">\n{text}</script>")
    parts.append("</head><body><p>Embedded JSON-LD.</p><script>(function(){var out=[];"
                 "var n=document.querySelectorAll('script[type=\"application/ld+json\"]');"
                 "for(var i=0;i<n.length;i++){try{out.push(String(JSON.parse(n[i].textContent)['@graph'].length))}"
                 "catch(e){out.push('ERR')}}document.body.setAttribute('data-ld',out.join(','));})();</script>"
                 "</body></html>")
    sys.stdout.write("\n".join(parts) + "\n")
    return 0


def jsonld_checks(dom, netlog, nodes, failures):
    """The embedding page: every JSON-LD element whole and parsed, nothing from the documents ran or loaded."""
    for tag, attrs in dom.tags:
        if tag in FORBIDDEN - {"script"}:
            failures.append(f"the DOM holds a <{tag}> element: {attrs}")
        for name, value in attrs.items():
            if name.startswith("on"):
                failures.append(f"<{tag}> has an event-handler attribute {name}={value!r}")
            if name == "data-pwned":
                failures.append(f"a script from the JSON-LD ran: <{tag} {name}={value!r}>")
    want = len(nodes.split(","))
    ld = [a for a, _ in dom.scripts if a.get("type") == "application/ld+json"]
    others = [t for a, t in dom.scripts if a.get("type") != "application/ld+json"]
    if len(ld) != want:
        failures.append(f"{len(ld)} application/ld+json elements, expected {want}")
    if len(others) != 2:
        failures.append(f"{len(others)} script elements besides the JSON-LD, expected the page's own two")
    for _, text in dom.scripts:
        if any(c in RAW_CONTROLS for c in text):
            failures.append("a raw control character in a script element")
    seen = [a.get("data-ld") for t, a in dom.tags if t == "body"]
    if seen != [nodes]:
        failures.append(f"the page's script read {seen} nodes, expected {nodes} (an element was cut or not parsed)")
    if dom.title != JSONLD_TITLE:
        failures.append(f"document title changed (a script ran?): {dom.title!r}")
    for url in page_requests(netlog):
        failures.append(f"the page attempted a request: {url}")


# The layout probe. The report runs no script, so it is measured from outside: a test page holds it, byte for
# byte, in an <iframe srcdoc> of the window size asked for (a headless window cannot be narrower than 500 px,
# an iframe can), and the page's own script measures the frame's document once it has loaded. Every element
# outside a horizontal scroll box (.scroll tables, the .graph picture) must lie within the frame, and so must
# its content (a word too long to wrap spills out of its box without making the box wider), the document
# must be no wider than the frame, and the first claim (a link to one, or its section) must lie whole in the
# first screen.
PROBE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>layout probe</title>
<style>body{margin:0}iframe{border:0;display:block}</style></head><body>
<iframe id="f" width="%(w)d" height="%(h)d" srcdoc="%(doc)s"></iframe>
<script>document.getElementById('f').addEventListener('load',function(){
var f=document.getElementById('f'),d=f.contentDocument,v=f.contentWindow,W=v.innerWidth,H=v.innerHeight,bad=[];
var all=d.querySelectorAll('body *');
for(var i=0;i<all.length;i++){var e=all[i];if(e.closest('.scroll,.graph'))continue;
var r=e.getBoundingClientRect();if(r.width===0&&r.height===0)continue;
var spill=e.clientWidth>0&&e.scrollWidth>e.clientWidth+1&&v.getComputedStyle(e).overflowX==='visible'&&r.left+e.scrollWidth>W+1;
if(r.right>W+1||r.left<-1||spill){bad.push((spill?'text spills from ':'')+e.tagName.toLowerCase()+(e.id?'#'+e.id:'')+
(typeof e.className==='string'&&e.className?'.'+e.className.split(' ').join('.'):'')+' '+Math.round(r.left)+'..'+Math.round(r.right));}}
var c=d.querySelector('a[href^="#claim-"], details.claim');var cr=c?c.getBoundingClientRect():null;
document.body.setAttribute('data-probe',JSON.stringify({w:W,h:H,doc:d.documentElement.scrollWidth,
bad:bad.slice(0,20),nbad:bad.length,claim_top:cr?cr.top:-1,claim_bottom:cr?cr.bottom:-1,
claim:c?c.textContent.slice(0,80):''}));});</script></body></html>
"""


def probe(path, width, height):
    import html as htmllib
    with open(path, encoding="utf-8") as f:
        doc = f.read()
    sys.stdout.write(PROBE % {"w": width, "h": height, "doc": htmllib.escape(doc, quote=True)})
    return 0


def layout(dom_path):
    dom = load_dom(dom_path)
    seen = [a.get("data-probe") for t, a in dom.tags if t == "body" and a.get("data-probe")]
    if not seen:
        print(f"FAIL layout {dom_path}: the probe did not run", file=sys.stderr)
        return 1
    p = json.loads(seen[0])
    failures = []
    if p["doc"] > p["w"]:
        failures.append(f"the page is {p['doc']} px wide in a {p['w']} px window (horizontal scroll)")
    for b in p["bad"]:
        failures.append(f"outside the window and outside any scroll box: {b}")
    if p["nbad"] > len(p["bad"]):
        failures.append(f"... {p['nbad'] - len(p['bad'])} more")
    if p["claim_top"] < 0 or p["claim_bottom"] > p["h"]:
        failures.append(f"no claim whole in the first screen ({p['w']}x{p['h']}): first at "
                        f"{p['claim_top']:.0f}..{p['claim_bottom']:.0f} px ({p['claim']!r})")
    for f in failures:
        print(f"FAIL layout {dom_path}: {f}", file=sys.stderr)
    if not failures:
        print(f"ok   layout {dom_path}: {p['w']}x{p['h']}, page {p['doc']} px wide, first claim at "
              f"{p['claim_top']:.0f}..{p['claim_bottom']:.0f} px: {p['claim']!r}")
    return 1 if failures else 0


def main(argv):
    if len(argv) >= 2 and argv[1] == "embed":
        return embed(argv[2:])
    if len(argv) == 5 and argv[1] == "probe":
        return probe(argv[2], int(argv[3]), int(argv[4]))
    if len(argv) == 3 and argv[1] == "layout":
        return layout(argv[2])
    if len(argv) >= 4 and argv[1] in ("jsonld", "jsonld-control"):
        mode, dom_path, netlog = argv[1], argv[2], argv[3]
        nodes = argv[argv.index("--nodes") + 1] if "--nodes" in argv else ""
        failures = []
        jsonld_checks(load_dom(dom_path), netlog, nodes, failures)
        if mode == "jsonld-control":
            if not failures:
                print("JSON-LD control page passed the checks: they would not notice a breakout", file=sys.stderr)
                return 1
            print(f"JSON-LD control page caught as expected ({len(failures)} findings)")
            return 0
        for f in failures:
            print(f"FAIL {mode} {dom_path}: {f}", file=sys.stderr)
        if not failures:
            print(f"ok   {mode} {dom_path}")
        return 1 if failures else 0
    if len(argv) < 4 or argv[1] not in ("report", "hostile", "control"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, dom_path, netlog = argv[1], argv[2], argv[3]
    dom = load_dom(dom_path)
    failures = []
    common(dom, netlog, failures)
    text = "".join(dom.text)
    for css in dom.styles:
        low = css.replace(" ", "").lower()
        if "@import" in low or any(not part.startswith("#") for part in low.split("url(")[1:]):
            failures.append("a style sheet loads something (url() or @import)")
    if mode == "report":
        want = int(argv[argv.index("--claims") + 1]) if "--claims" in argv else None
        claims = [a for t, a in dom.tags if t == "details" and "claim" in (a.get("class") or "").split()]
        if want is not None and len(claims) != want:
            failures.append(f"{len(claims)} claims in the DOM, expected {want}")
        if not all((a.get("id") or "").startswith("claim-") for a in claims):
            failures.append("a claim section without a claim- id")
        graphs = [a for t, a in dom.tags if t == "svg" and "claim-graph" in (a.get("class") or "").split()]
        if len(graphs) != 1:
            failures.append(f"{len(graphs)} claim graphs in the DOM, expected 1")
        nodes = [a for t, a in dom.tags if t == "g" and "cg-claim" in (a.get("class") or "").split()]
        if want is not None and len(nodes) != min(want, 40):
            failures.append(f"{len(nodes)} claim nodes in the graph, expected {min(want, 40)}")
        for section in ("Articles read", "Claims, by support", "Claim graph", "Sources"):
            if section not in text:
                failures.append(f"no {section!r} section")
    elif mode == "hostile":
        for inert in ("<script>document.title='PWNED'</script>", "onerror=", "javascript:", "</style>",
                      "<U+001B>]0;pwned<U+0007>", "<U+202E>", "<U+009B>"):
            if inert not in text:
                failures.append(f"the hostile text {inert!r} is not shown as text")
        raw = sorted({f"U+{ord(c):04X}" for c in text + dom.title if c in RAW_CONTROLS})
        if raw:
            failures.append(f"raw control or bidi characters in the page's text: {', '.join(raw)}")
    if mode == "control":
        if not failures:
            print("control page passed the checks: they would not notice a script or a request", file=sys.stderr)
            return 1
        print(f"control page caught as expected ({len(failures)} findings)")
        return 0
    for f in failures:
        print(f"FAIL {mode} {dom_path}: {f}", file=sys.stderr)
    if not failures:
        print(f"ok   {mode} {dom_path}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
