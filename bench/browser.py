"""A browser's requests over plain HTTP, for drills against real servers: its cookies (kept by hand,
Secure ones included, since drills run on loopback without TLS), Django's CSRF token, no redirects
followed, and the fields a form would submit."""

import urllib.error
import urllib.request
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import quote, urlencode


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(self, base: str, timeout: float = 30):
        self.base = base
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.max_age: dict[str, str] = {}  # of each cookie the server last set
        self.opener = urllib.request.build_opener(_NoRedirects)

    def request(self, path: str, form: dict | list | None = None) -> tuple[int, str]:
        """GET `path`, or POST `form` to it; the status and the body."""
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        if form is not None:
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        data = urlencode(form).encode() if form is not None else None
        address = self.base + quote(path, safe="/?=&+%:;,")  # Chinese in a query string, as a browser sends it
        request = urllib.request.Request(address, data=data, headers=headers)  # noqa: S310 - our servers
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                status, body, received = response.status, response.read().decode(), response.headers
        except urllib.error.HTTPError as error:
            status, body, received = error.code, error.read().decode(), error.headers
        for header in received.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.max_age[name] = morsel["max-age"]
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return status, body

    def status(self, path: str) -> int:
        """The status of a GET (0: no answer)."""
        try:
            return self.request(path)[0]
        except OSError:
            return 0

    def page(self, path: str) -> str:
        status, body = self.request(path)
        if status != 200:
            raise AssertionError(f"{path}: {status}")
        return body

    def sign_in(self, username: str, password: str) -> None:
        self.request("/en/admin/login/")  # the CSRF cookie
        status, _body = self.request("/en/admin/login/", {"username": username, "password": password})
        if status != 302:
            raise AssertionError(f"signing in as {username}: {status}")

    def sign_out(self) -> None:
        status, _body = self.request("/en/admin/logout/", {})
        if status != 200:
            raise AssertionError(f"signing out: {status}")

    def save_form(self, path: str, form_id: str, changes: dict) -> int:
        """Submit the form `form_id` of the page at `path` as a browser would, with `changes`; the status."""
        fields = FormFields(form_id)
        fields.feed(self.page(path))
        submitted = [(name, value) for name, value in fields.fields if name not in changes]
        return self.request(path, [*submitted, *changes.items()])[0]


class FormFields(HTMLParser):
    """The fields (name, value) that a browser submits from the form with id `form_id`."""

    UNSENT = ("submit", "button", "image", "file", "reset")

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.textarea: list[str] | None = None
        self.select: tuple[str, bool] | None = None
        self.options: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        found = {name: value if value is not None else "" for name, value in attrs}
        if tag == "form" and found.get("id") == self.form_id:
            self.inside = True
        if not self.inside or ("name" not in found and tag != "option"):
            return
        if tag == "input":
            kind = found.get("type", "text")
            checkable = kind in ("checkbox", "radio")
            if kind not in self.UNSENT and ("checked" in found or not checkable):
                self.fields.append((found["name"], found.get("value", "on" if checkable else "")))
        elif tag == "textarea":
            self.textarea = [found["name"], ""]
        elif tag == "select":
            self.select, self.options = (found["name"], "multiple" in found), []
        elif tag == "option" and self.select:
            self.options.append((found.get("value", ""), "selected" in found))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select:
            name, multiple = self.select
            chosen = [value for value, selected in self.options if selected]
            if not chosen and not multiple and self.options:
                chosen = [self.options[0][0]]  # what a browser sends with nothing selected
            self.fields += [(name, value) for value in chosen]
            self.select = None
