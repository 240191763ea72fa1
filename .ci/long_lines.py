"""Prints every Swift line longer than 120 characters (not bytes: Russian text is two bytes a letter)."""
import pathlib
import sys

LIMIT = 120
found = 0
for root in sys.argv[1:] or ["Sources", "Tests", "Package.swift"]:
    path = pathlib.Path(root)
    for file in sorted([path] if path.is_file() else path.rglob("*.swift")):
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if len(line) > LIMIT:
                found += 1
                print(f"{file}:{number}: {len(line)} columns")
if found:
    print(f"lines longer than {LIMIT} columns: {found}")
sys.exit(1 if found else 0)
