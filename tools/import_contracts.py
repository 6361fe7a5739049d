"""A custom import-linter contract: no import cycles among the modules of a package.

The built-in ``acyclic_siblings`` contract squashes each sub-package into one node and so
forbids cycles between siblings (``governance.models`` <-> ``governance.services``), but a
cycle that runs through a package's own ``__init__`` module is invisible to it: the package
is the parent of its children, not their sibling. This contract looks at plain modules
instead: it finds every group of modules of a package that import each other in a ring
(lazy imports inside functions count too: they are still a cycle, only postponed) and
prints one concrete ring per group, with the line of each import.

Registered in pyproject.toml under ``[tool.importlinter] contract_types``.
"""

from __future__ import annotations

from collections import deque

from grimp import ImportGraph
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """Groups of two or more nodes that all reach each other (Tarjan, iterative), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(edges[successor]))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
    return sorted(groups)


def shortest_ring(edges: dict[str, set[str]], group: list[str]) -> list[str]:
    """The shortest way from the group's first module back to itself, as a list of modules."""
    start = group[0]
    members = set(group)
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for successor in sorted(edges[node] & members):
            if successor == start:
                ring = [node]
                while ring[-1] != start:
                    ring.append(came_from[ring[-1]])
                return [*reversed(ring), start]
            if successor not in came_from:
                came_from[successor] = node
                queue.append(successor)
    raise ValueError(f"{group} is not a cycle")


class ModuleCyclesContract(Contract):
    """Fails when modules inside any of ``packages`` import each other in a cycle.

    Configuration options:

        - packages: the packages (Django apps) whose modules must form no cycle.
    """

    type_name = "module_cycles"

    packages = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        rings = []
        for package in self.packages:  # type: ignore[attr-defined]
            modules = graph.find_descendants(package) | {package}
            edges = {
                module: graph.find_modules_directly_imported_by(module) & modules
                for module in modules
            }
            for group in strongly_connected(edges):
                ring = shortest_ring(edges, group)
                links = [
                    (importer, imported, _line(graph, importer, imported))
                    for importer, imported in zip(ring, ring[1:], strict=False)
                ]
                rings.append({"package": package, "modules": group, "links": links})
        return ContractCheck(kept=not rings, metadata={"rings": rings})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for ring in check.metadata["rings"]:
            output.print_error(
                f"Import cycle in {ring['package']} among {len(ring['modules'])} modules:"
            )
            output.new_line()
            for importer, imported, line in ring["links"]:
                output.print_error(f"- {importer} -> {imported} (l.{line})", bold=False)
            output.new_line()


def _line(graph: ImportGraph, importer: str, imported: str) -> str:
    details = graph.get_import_details(importer=importer, imported=imported)
    return ", ".join(str(detail["line_number"]) for detail in details) or "?"
