"""The Markdown dialect notes are written in: the one list of Python-Markdown extensions.

This repository's mkdocs.yml lists the same extensions for the site (MkDocs converts the
pages with its own configuration); the print document (`print_document.note_html`)
converts notes with these, so a note reads the same on the site and on paper; and the
benchmark (scripts/bench) writes them into its generated briefing's mkdocs.yml and renders
its Python-Markdown baseline with them. The generated pages' own `MARKDOWN_EXTENSIONS`
(output/build_folder.py) is another thing: the few of these that generated pages need, and
the fragment stash, turned on when a site's mkdocs.yml leaves them out.

No imports: the benchmark's baseline process imports this module and should pay nothing
for the package.
"""

MARKDOWN_EXTENSIONS: tuple[str, ...] = (
    "abbr",
    "admonition",
    "attr_list",
    "md_in_html",
    "tables",
    "toc",
    "pymdownx.details",
    "pymdownx.superfences",
)
"""The extensions of mkdocs.yml, in its order (the site configures `toc` with
`permalink: true`; the print document gives `toc` its own heading ids)."""
