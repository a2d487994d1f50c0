"""Print the architecture figures that issue 12 reports before and after.

Longest function, functions over cyclomatic complexity 10 (as ruff's C901 counts them),
modules over 400 lines, and pairs of areas (top-level packages or modules of ``portal``)
that import each other. Run: ``.venv/bin/python scripts/architecture_figures.py``.
"""

import ast
import json
import subprocess
import sys
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORTAL = ROOT / "portal"


def area_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "portal" or len(parts) < 2:
        return None
    return parts[1]


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(tree: ast.AST, this_module: str) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = this_module.split(".")[: -node.level + (0 if this_module else 0)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            found.add(mod)
            found.update(f"{mod}.{alias.name}" for alias in node.names)
    return found


def is_area(name: str | None) -> bool:
    return bool(name) and ((PORTAL / name).is_dir() or (PORTAL / f"{name}.py").exists())


def scan() -> tuple[tuple[int, str], list, dict[str, set[str]]]:
    """The longest function, the modules over 400 lines, and which areas import which."""
    longest = (0, "")
    big_modules = []
    edges: dict[str, set[str]] = {}
    for path in sorted(PORTAL.rglob("*.py")):
        text = path.read_text()
        if text.count("\n") > 400:
            big_modules.append((text.count("\n"), str(path.relative_to(ROOT))))
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > longest[0]:
                    longest = (length, f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
        me = module_name(path)
        my_area = area_of(me)
        others = {area_of(imported) for imported in imports_of(tree, me)}
        edges.setdefault(my_area, set()).update(
            other for other in others if is_area(other) and other != my_area
        )
    return longest, big_modules, edges


def complex_functions() -> list[dict]:
    ruff = subprocess.run(  # noqa: S603 - a fixed argument list
        [
            sys.executable, "-m", "ruff", "check", "--select", "C901",
            "--config", "lint.mccabe.max-complexity = 10",
            "--output-format", "json", "--exit-zero", "--no-cache", str(PORTAL),
        ],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(ruff.stdout)


def main() -> int:
    longest, big_modules, edges = scan()
    mutual = sorted(
        (a, b)
        for a, b in combinations(sorted(k for k in edges if k), 2)
        if b in edges[a] and a in edges.get(b, ())
    )
    too_complex = complex_functions()
    print(f"longest function: {longest[0]} lines ({longest[1]})")
    print(f"functions over complexity 10: {len(too_complex)}")
    for item in too_complex:
        where = Path(item["filename"]).relative_to(ROOT)
        print(f"  {where}:{item['location']['row']} {item['message']}")
    print(f"modules over 400 lines: {len(big_modules)}")
    for lines, name in sorted(big_modules, reverse=True):
        print(f"  {name}: {lines}")
    print(f"pairs of areas that import each other: {len(mutual)}")
    for a, b in mutual:
        print(f"  {a} <-> {b}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
