"""MkDocs hooks (MkDocs' documented `hooks:` setting and plugin events) for the generator's
MkDocs runs.

The rendered HTML is kept between builds and hard-linked into each published site, so a file
MkDocs writes again must become a new file, never be overwritten in place under readers: each
event below removes the old output just before MkDocs writes it (MkDocs then creates a new
file). The theme's compiled templates are kept between runs with Jinja's bytecode cache.
Pages listed in extra.sitegen_noindex (engine.noindex: the staff report) are left out of
sitemap.xml and get a robots meta tag.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import jinja2
from mkdocs.exceptions import PluginError


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


NOINDEX_KEY = "sitegen_noindex"  # engine.NOINDEX_KEY (a hook module is loaded from its path, not imported)
_HEAD = re.compile(r"<head(?:\s[^>]*)?>")


def on_template_context(context, template_name: str, config):
    if template_name == "sitemap.xml":
        hidden = set(config["extra"].get(NOINDEX_KEY) or ())
        context["pages"] = [f for f in context["pages"] if f.src_uri not in hidden]
    return context


def on_post_template(output_content: str, template_name: str, config):
    path = os.path.join(config["site_dir"], template_name)
    _unlink(path)
    _unlink(path + ".gz")  # sitemap.xml.gz
    return output_content


def on_post_page(output: str, page, config):
    _unlink(page.file.abs_dest_path)
    if page.file.src_uri in (config["extra"].get(NOINDEX_KEY) or ()):
        head = _HEAD.search(output)
        if head is None:  # a theme without <head>: stop rather than publish the page indexable
            raise PluginError(f"no <head> in the HTML of {page.file.src_uri} for its robots meta tag")
        output = output[:head.end()] + '<meta name="robots" content="noindex">' + output[head.end():]
    return output
