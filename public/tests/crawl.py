"""Find the public pages by following links from the start page.

The public pages are not listed anywhere in the tests: whatever a resident can
reach by links from "/" is crawled with the Django test client, so that a new
page is checked (accessibility, valid HTML) as soon as something links to it.

    pages = crawl(client)          # {url: response} of every 200 HTML page
    pages.other                    # {url: response} of 200 non-HTML (CSV, feeds, ics)
    pages.broken                   # {url: status} of every link that did not work
    page_types(pages)              # {view name: url}, one page per kind of page
"""

from collections import deque
from html.parser import HTMLParser
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from django.urls import Resolver404, resolve

MAX_PAGES = 300
SKIPPED_PREFIXES = ("/admin/", "/static/")
SAME_SITE_HOSTS = {"", "testserver"}
REDIRECTS = {301, 302, 303, 307, 308}


class Pages(dict):
    """{url: response} of the HTML pages, in the order they were found."""

    def __init__(self):
        super().__init__()
        self.other = {}  # {url: response}: 200 responses that are not HTML
        self.broken = {}  # {url: (status, linked from)}: 4xx/5xx or a dead redirect
        self.redirects = {}  # {url: location}
        self.truncated = False  # True when MAX_PAGES stopped the crawl


class _Links(HTMLParser):
    """The href of every <a> and of every <link rel="alternate"> (feeds)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        href = attrs.get("href")
        if href is None:
            return
        if tag == "a" or (
            tag == "link" and "alternate" in (attrs.get("rel") or "").lower().split()
        ):
            self.hrefs.append(href.strip())


def links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser.hrefs


def same_site_path(href: str, base: str) -> str | None:
    """The local URL (path and query, no fragment) of href, or None to skip it."""
    url, _fragment = urldefrag(urljoin(base, href))
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in SAME_SITE_HOSTS:
        return None  # mailto:, tel:, javascript:, other hosts
    path = parts.path or "/"
    if path.startswith(SKIPPED_PREFIXES):
        return None
    return f"{path}?{parts.query}" if parts.query else path


def is_html(response) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip() == "text/html"


def crawl(client, start: str = "/", max_pages: int = MAX_PAGES) -> Pages:
    """Follow same-site links breadth-first from start; see the module docstring.

    Each path is fetched once: "/x/?page=2" is skipped once "/x/" (or any other
    query on "/x/") has been fetched. Redirects are followed as links.
    """
    pages = Pages()
    queue = deque([(start, None)])
    seen_paths = {urlsplit(start).path}
    fetched = 0
    while queue:
        if fetched >= max_pages:
            pages.truncated = True
            break
        url, linked_from = queue.popleft()
        response = client.get(url)
        fetched += 1
        found = []
        if response.status_code in REDIRECTS:
            location = response.get("Location", "")
            pages.redirects[url] = location
            found = [location]
        elif response.status_code >= 400:
            pages.broken[url] = (response.status_code, linked_from)
        elif not is_html(response):
            pages.other[url] = response
        else:
            pages[url] = response
            found = links(response.content.decode(response.charset or "utf-8"))
        for href in found:
            target = same_site_path(href, f"http://testserver{url}")
            if target is None:
                continue
            path = urlsplit(target).path
            if path in seen_paths:
                continue
            seen_paths.add(path)
            queue.append((target, url))
    return pages


def view_name(url: str) -> str:
    """The URL name of url's view (namespaced), or the view's dotted path.

    The path is unquoted first, as Django does for a request: a district's slug
    may be "dalarö", linked as "dalar%C3%B6"."""
    try:
        match = resolve(unquote(urlsplit(url).path))
    except Resolver404:
        return f"unresolved {url}"
    return match.view_name or match._func_path


def page_types(pages: dict) -> dict[str, str]:
    """{view name: url}: one page of each kind, the largest one of its kind.

    The largest page has the most markup to check and is the worst case for
    the page weight budget.
    """
    largest = {}
    for url, response in pages.items():
        name = view_name(url)
        size = len(response.content)
        if name not in largest or size > largest[name][1]:
            largest[name] = (url, size)
    return {name: url for name, (url, _size) in largest.items()}
