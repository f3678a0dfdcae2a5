"""Render: content models -> a plain docs tree (Markdown + front matter + assets) -> HTML.

Only engine.py (with its hooks, mkdocs_hooks.py) knows MkDocs; every other module here writes
Markdown pages into the docs tree through docs.py (write_page, render_page).
"""
