"""Run `sitegen` as a user does, for tests: in this process (fast) or as its own process.

`sitegen()` calls the command-line entry (`generator.cli.main`) with the arguments, language
and output streams a user's shell would give it, and answers like `subprocess.run`: exit
status, standard output and standard error as text. A test whose point is the process itself
(a killed build, `serve`, the console script, exit codes set by the interpreter) uses
`sitegen_process()` instead.
"""
from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import traceback
from pathlib import Path


def sitegen(root: Path, *args: str, lang: str = "en", env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`sitegen ARGS --root ROOT` in this process, with SITEGEN_LANG=lang (and env) set meanwhile."""
    from generator.cli import main

    argv = [*args, "--root", str(root)]
    out, err = io.StringIO(), io.StringIO()
    saved = dict(os.environ)
    os.environ.update({"SITEGEN_LANG": lang, **(env or {})})
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), _no_input():
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse: usage errors exit 2, --help 0
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except Exception:  # what the interpreter would print before exiting with 1
                traceback.print_exc()
                code = 1
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return subprocess.CompletedProcess(["sitegen", *argv], code, out.getvalue(), err.getvalue())


def sitegen_process(root: Path, *args: str, lang: str = "en", timeout: float = 600, env: dict[str, str] | None = None,
                    **kwargs) -> subprocess.CompletedProcess:
    """`python -m generator ARGS --root ROOT` as its own process."""
    from conftest import link_due_tiles

    link_due_tiles(root)
    env = {**os.environ, "SITEGEN_LANG": lang, **(env or {})}
    return subprocess.run([sys.executable, "-m", "generator", *args, "--root", str(root)], capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=timeout, **kwargs)


@contextlib.contextmanager
def _no_input():
    """Standard input as a test runner's shell gives it: empty, not a terminal."""
    saved = sys.stdin
    sys.stdin = io.StringIO("")
    try:
        yield
    finally:
        sys.stdin = saved
