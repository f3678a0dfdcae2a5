"""MkDocs hooks (MkDocs' documented `hooks:` setting and plugin events) for the generator's
MkDocs runs.

The rendered HTML is kept between builds and hard-linked into each published site, so a file
MkDocs writes again must become a new file, never be overwritten in place under readers: each
event below removes the old output just before MkDocs writes it (MkDocs then creates a new
file). The theme's compiled templates are kept between runs with Jinja's bytecode cache.
"""
from __future__ import annotations

import os
from pathlib import Path

import jinja2


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def on_files(files, config):
    # Static and media files are copied when newer than their copy (or always, in a clean
    # build into an empty folder): the copy there may be a link into the published site.
    for file in files:
        if not file.is_documentation_page() and file.is_modified():
            _unlink(file.abs_dest_path)
    return files


def on_env(env: jinja2.Environment, config, files):
    folder = Path(config["site_dir"]).parent / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
    except OSError:
        pass  # compiled on every run instead
    return env


def on_post_template(output_content: str, template_name: str, config):
    path = os.path.join(config["site_dir"], template_name)
    _unlink(path)
    _unlink(path + ".gz")  # sitemap.xml.gz
    return output_content


def on_post_page(output: str, page, config):
    _unlink(page.file.abs_dest_path)
    return output
