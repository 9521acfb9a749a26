"""The admin's change form as a browser submits it: the values of its inputs,
text areas and selects, read from the page, so that a test can change one field
and post the rest as they were shown."""

from html.parser import HTMLParser


class FormValues(HTMLParser):
    """Every named field of the page's form (`id`), as a browser would post it:
    text and hidden inputs, checked boxes, text areas, selected options."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.values: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.values.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.values.append((self._select, attrs.get("value") or ""))

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the newline right after <textarea>.
            text = "".join(self._text)
            self.values.append((self._textarea, text.removeprefix("\n")))
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_values(response, form_id: str) -> dict:
    """The values of the form `form_id` on the page (a list for a name that
    occurs more than once: a multiple choice)."""
    parser = FormValues(form_id)
    parser.feed(response.content.decode())
    values: dict = {}
    for name, value in parser.values:
        if name in values:
            if not isinstance(values[name], list):
                values[name] = [values[name]]
            values[name].append(value)
        else:
            values[name] = value
    return values
