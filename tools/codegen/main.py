"""Generates the mechanical code of every language from spec/openapi.json.

    python3 tools/codegen/main.py           # write the generated files
    python3 tools/codegen/main.py --check   # fail when a generated file is stale
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generators  # noqa: E402
from spec_model import Spec  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def render(spec: Spec) -> dict[str, str]:
    """Every generated file of every language, by path relative to the repository."""
    files: dict[str, str] = {}
    for module in sorted(m.name for m in pkgutil.iter_modules(generators.__path__)):
        generator = importlib.import_module(f"generators.{module}")
        files.update(generator.generate(spec))
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="fail if any generated file is stale")
    args = parser.parse_args()
    spec = Spec(ROOT / "spec" / "openapi.json")
    files = render(spec)
    stale = []
    for rel, text in files.items():
        target = ROOT / rel
        current = target.read_text() if target.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(rel)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
            print(f"wrote {rel}")
    if stale:
        print("generated files are stale; run python3 tools/codegen/main.py:", *stale, sep="\n  ")
        return 1
    if args.check:
        print(f"generated code is fresh ({len(files)} files, {len(spec.ops)} operations)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
