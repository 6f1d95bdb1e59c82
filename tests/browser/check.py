#!/usr/bin/env python3
"""Checks what headless Chromium made of an HTML report: the DOM it dumped and the network log it wrote.

    check.py report  DOM NETLOG --claims N          the example: claims and graph present, nothing ran or loaded
    check.py hostile DOM NETLOG                     the hostile story: its markup is inert text
    check.py control DOM NETLOG                     a page that does run a script and load an image: proves
                                                    the checks above would notice (they must fail on it)

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


class Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []          # (tag, attrs dict)
        self.title = ""
        self.text = []
        self._in_title = False
        self._in_style = False
        self.styles = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "title" and not self.title:
            self._in_title = True
        if tag == "style":
            self._in_style = True
            self.styles.append("")

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._in_style:
            self.styles[-1] += data
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


def main(argv):
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
        for inert in ("<script>document.title='PWNED'</script>", "onerror=", "javascript:", "</style>"):
            if inert not in text:
                failures.append(f"the hostile text {inert!r} is not shown as text")
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
