"""Japanese-aware search: one normaliser (normalise.py) for the whoosh catalogue (catalog.py),
the Pagefind index of the finished site (pagefind.py) and the browser's query (search.js)."""
