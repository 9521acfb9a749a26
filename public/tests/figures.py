"""The figures of a public page or an open-data file, as a test compares them:
what the pages say about progress and what was done, not their other words."""

import csv
import io
from html.parser import HTMLParser

# Elements whose text is a figure (by class), and those read whole.
FIGURE_CLASSES = {
    "progress",
    "status",
    "summary",
    "target",
    "how-is-it-going",
    "weeks",
    "activities",
    "pagination",
    "outcome-counts",
}
WHOLE = {"table", "progress"}


class Figures(HTMLParser):
    """The visible text of the figure elements of a page, in order."""

    def __init__(self):
        super().__init__()
        self.figures: list[str] = []
        self.stack: list[tuple[str, list[str] | None]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        if tag == "progress":
            self.figures.append(f"progress {attrs.get('value')}")
        collecting = tag in WHOLE or bool(classes & FIGURE_CLASSES)
        if tag in ("br", "img", "input", "meta", "link"):
            return
        self.stack.append((tag, [] if collecting else None))

    def handle_endtag(self, tag):
        while self.stack:
            name, text = self.stack.pop()
            if text is not None:
                words = " ".join(" ".join(text).split())
                if words:
                    self.figures.append(f"{name}: {words}")
            if name == tag:
                return

    def handle_data(self, data):
        for _name, text in self.stack:
            if text is not None:
                text.append(data)
        # "Utsättning har hållits 46 veckor, 45 av dem på en fredag." (a <p> of
        # its own, without a class)
        if "har hållits" in data:
            self.figures.append(" ".join(data.split()))


def page_figures(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    parser = Figures()
    parser.feed(response.content.decode())
    return parser.figures


def csv_rows(client, url: str, drop=("id",), names=None) -> list[dict]:
    """A CSV file's rows without the id columns; ids of targets and commitments
    named instead."""
    response = client.get(url)
    assert response.status_code == 200, url
    rows = []
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    for row in csv.DictReader(io.StringIO(text)):
        for column, lookup in (names or {}).items():
            if column in row:
                row[column] = lookup.get(row[column], row[column])
        rows.append({k: v for k, v in row.items() if k not in drop})
    return rows
