"""Fail when application code outgrows the size bars of docs/architecture.md.

A module may have at most 500 lines and a function or method at most 80 (decorators not
counted, docstring included). Migrations and vendored code are not application code and
are skipped. Plain Python, no dependencies:

    python tools/check_sizes.py                 # the application packages
    python tools/check_sizes.py some/dir a.py   # anything else

Each offender is printed as ``path:line name: N lines``; the exit code is 1 when there is
one, 2 when a path is missing or a file does not parse, 0 otherwise.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

APPLICATION = ("accounts", "privacy", "community", "governance", "config")
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80
SKIPPED_DIRECTORIES = {"migrations", "vendor", "__pycache__"}


def python_files(root: Path) -> Iterator[Path]:
    """The .py files under root (or root itself), outside migrations and vendored code."""
    candidates = [root] if root.is_file() else sorted(root.rglob("*.py"))
    for path in candidates:
        if not SKIPPED_DIRECTORIES.intersection(path.parts):
            yield path


def functions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, ast.AST]]:
    """Every function and method with its qualified name (``Class.method``, ``outer.inner``)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            name = f"{prefix}{node.name}"
            if not isinstance(node, ast.ClassDef):
                yield name, node
            yield from functions(node, prefix=f"{name}.")
        else:
            yield from functions(node, prefix=prefix)


def offenders(path: Path) -> Iterator[str]:
    """One line per bar the file breaks."""
    source = path.read_text(encoding="utf-8")
    module_lines = len(source.splitlines())
    if module_lines > MAX_MODULE_LINES:
        yield f"{path}:1 module: {module_lines} lines"
    for name, node in functions(ast.parse(source, filename=str(path))):
        length = node.end_lineno - node.lineno + 1
        if length > MAX_FUNCTION_LINES:
            yield f"{path}:{node.lineno} {name}: {length} lines"


def main(argv: list[str]) -> int:
    roots = [Path(arg) for arg in argv] or [Path(name) for name in APPLICATION]
    missing = [str(root) for root in roots if not root.exists()]
    if missing:
        print(f"check_sizes: no such file or directory: {', '.join(missing)}", file=sys.stderr)
        return 2
    found = []
    for root in roots:
        for path in python_files(root):
            try:
                found.extend(offenders(path))
            except SyntaxError as error:
                print(f"{path}:{error.lineno} does not parse: {error.msg}", file=sys.stderr)
                return 2
    for line in found:
        print(line)
    if found:
        print(
            f"check_sizes: {len(found)} over the bars (modules at most {MAX_MODULE_LINES} lines,"
            f" functions and methods at most {MAX_FUNCTION_LINES}): split them by concern.",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
