"""MkDocs hook: drops the <link rel="alternate" hreflang> tags from each page's head.

Material fetches a sitemap.xml beside each of those links to map a page to its translation, expecting the links
to be language roots; mkdocs-static-i18n points them at the page's own translation, so every page load asked for
sitemaps that do not exist (a 404 in the browser's console). The language switch in the header keeps its links,
which mkdocs-static-i18n already sets to the same page in the other language, so nothing is lost.
"""

import re

HEAD_ALTERNATE = re.compile(r'[ \t]*<link rel="alternate" href="[^"]*" hreflang="[^"]*">\n?')


def on_post_page(output, page, config):
    head_end = output.find("</head>")
    return HEAD_ALTERNATE.sub("", output[:head_end]) + output[head_end:]
