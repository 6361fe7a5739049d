"""The checks that hold the layout (`make layout`) can fail as well as pass.

They run on small synthetic trees here; the real tree is checked by the CI step itself.
"""

import subprocess
import sys
from pathlib import Path

import grimp

from tools.import_contracts import ModuleCyclesContract, strongly_connected

CHECK_SIZES = Path(__file__).resolve().parent.parent / "tools" / "check_sizes.py"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _function(name: str, lines: int, indent: str = "") -> str:
    """A function of exactly `lines` lines, `def` line included."""
    body = "".join(f"{indent}    x{i} = {i}\n" for i in range(lines - 2))
    return f"{indent}def {name}():\n{body}{indent}    return 0\n"


def _check_sizes(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(CHECK_SIZES), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_sizes_passes_at_the_bars_and_skips_migrations_and_vendored_code(tmp_path):
    _write(tmp_path / "app" / "short.py", _function("ok", 80) + "\n" * 420)
    _write(tmp_path / "app" / "migrations" / "0001_initial.py", _function("long", 300))
    _write(tmp_path / "app" / "vendor" / "lib.py", "\n" * 900)

    result = _check_sizes(tmp_path, "app")

    assert (tmp_path / "app" / "short.py").read_text().count("\n") == 500
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_check_sizes_names_each_long_module_and_function(tmp_path):
    method = _function("handle", 81, indent="    ")
    _write(tmp_path / "app" / "views.py", f"class Page:\n{method}" + _function("fine", 80))
    _write(tmp_path / "app" / "big.py", "\n" * 501)

    result = _check_sizes(tmp_path, "app")

    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "app/big.py:1 module: 501 lines",
        "app/views.py:2 Page.handle: 81 lines",
    ]
    assert "at most 500 lines" in result.stderr


def test_check_sizes_refuses_a_missing_path(tmp_path):
    result = _check_sizes(tmp_path, "nowhere")

    assert result.returncode == 2
    assert "nowhere" in result.stderr


def test_strongly_connected_finds_only_rings():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a", "e"}, "e": {"d"}, "f": set()}

    assert strongly_connected(edges) == [["a", "b", "c"], ["d", "e"]]


def _module_cycles(tmp_path, monkeypatch, package: str) -> ModuleCyclesContract:
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph(package, cache_dir=None)
    contract = ModuleCyclesContract(
        name="cycles", session_options={}, contract_options={"packages": [package]}
    )
    return contract.check(graph, verbose=False)


def test_module_cycles_contract_fails_on_a_ring_through_a_package_init(tmp_path, monkeypatch):
    _write(tmp_path / "ringapp" / "__init__.py", "")
    _write(tmp_path / "ringapp" / "models" / "__init__.py", "from .note import Note\n")
    _write(
        tmp_path / "ringapp" / "models" / "note.py",
        "class Note:\n    def render(self):\n        from ringapp.services import render\n",
    )
    _write(tmp_path / "ringapp" / "services.py", "from ringapp.models import Note\n")

    check = _module_cycles(tmp_path, monkeypatch, "ringapp")

    assert not check.kept
    [ring] = check.metadata["rings"]
    assert ring["links"] == [
        ("ringapp.models", "ringapp.models.note", "1"),
        ("ringapp.models.note", "ringapp.services", "3"),
        ("ringapp.services", "ringapp.models", "1"),
    ]


def test_module_cycles_contract_keeps_a_one_way_package(tmp_path, monkeypatch):
    _write(tmp_path / "lineapp" / "__init__.py", "")
    _write(tmp_path / "lineapp" / "models.py", "")
    _write(tmp_path / "lineapp" / "services.py", "from lineapp.models import *\n")

    assert _module_cycles(tmp_path, monkeypatch, "lineapp").kept
