"""Render: content models -> a plain docs tree (Markdown + front matter + assets) -> HTML.

Only engine.py knows MkDocs; every other module here writes Markdown files through DocsTree.
"""
