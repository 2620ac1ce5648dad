"""`mkdocs build --strict` builds both languages, every API page renders, and no math is left raw."""

import importlib
import re
import types
from html.parser import HTMLParser

from tests.docs.conftest import DOCS

API_DIRECTIVE = re.compile(r"^::: ([\w.]+)", re.M)
RAW_MATH = re.compile(r"\$\$|\$[^\s$][^$\n]*\$")


def english_pages():
    return [p for p in sorted(DOCS.rglob("*.md")) if not p.name.endswith(".zh.md")]


def built_html(site, page, language=None):
    relative = page.relative_to(DOCS).with_suffix("")
    folder = relative.parent if relative.name == "index" else relative
    return site / (language or "") / folder / "index.html"


class VisibleText(HTMLParser):
    """The page's text outside <code>, <pre>, <script> and <style>, and the class names it uses."""

    SKIP = {"code", "pre", "script", "style"}

    def __init__(self):
        super().__init__()
        self.depth, self.text, self.classes = 0, [], set()

    def handle_starttag(self, tag, attrs):
        self.depth += tag in self.SKIP
        self.classes.update((dict(attrs).get("class") or "").split())

    def handle_endtag(self, tag):
        self.depth -= tag in self.SKIP

    def handle_data(self, data):
        if not self.depth:
            self.text.append(data)


def parse(path):
    parser = VisibleText()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ".join(parser.text), parser.classes


def test_every_page_is_built_in_both_languages(built_site):
    for page in english_pages():
        assert built_html(built_site, page).is_file(), page
        assert built_html(built_site, page, "zh").is_file(), page


def test_every_page_but_the_api_reference_has_a_chinese_translation():
    missing = [
        p.relative_to(DOCS).as_posix()
        for p in english_pages()
        if p.relative_to(DOCS).parts[0] != "api" and not p.with_suffix(".zh.md").is_file()
    ]
    assert missing == []


def test_every_api_directive_renders_its_object(built_site):
    directives = 0
    for page in english_pages():
        html = built_html(built_site, page).read_text(encoding="utf-8")
        for name in API_DIRECTIVE.findall(page.read_text(encoding="utf-8")):
            directives += 1
            assert f'id="{name}"' in html, f"{page.relative_to(DOCS)}: `::: {name}` did not render"
    assert directives >= 15


def test_math_is_handed_to_katex_and_none_is_left_raw(built_site):
    pages_with_math = 0
    for html in sorted(built_site.rglob("index.html")):
        text, classes = parse(html)
        assert not RAW_MATH.search(text), f"{html.relative_to(built_site)}: raw math {RAW_MATH.search(text)[0]!r}"
        pages_with_math += "arithmatex" in classes
    assert pages_with_math >= 10
    assert (built_site / "assets" / "katex" / "katex.min.js").is_file()


def public_names(module):
    """The names a module exports (its __all__, else its public attributes), less the submodules and NumPy."""
    names = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
    return [n for n in names if not isinstance(getattr(module, n, None), types.ModuleType)]


def test_every_public_name_of_every_module_has_its_entry_in_the_api_reference(built_site):
    missing = {}
    for page in sorted((DOCS / "api").glob("*.md")):
        if page.stem == "index":
            continue
        module = importlib.import_module(f"npkeras.{page.stem}")
        html = built_html(built_site, page).read_text(encoding="utf-8")
        absent = [
            name
            for name in public_names(module)
            if not re.search(rf'id="[\w.]*\b{re.escape(name)}"', html) and f"<code>{name}</code>" not in html
        ]
        if absent:
            missing[page.stem] = absent
    assert missing == {}, missing
