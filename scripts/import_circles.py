#!/usr/bin/env python3
"""Fails when a file of a crate imports one that imports it back, directly or through others.

Reads the `use crate::…` / `use super::…` / `use self::…` lines (and `crate::…` / `super::…`
paths in code) of each crate's `src/`, outside `#[cfg(test)]` modules, builds the graph of
file-modules and reports every strongly connected group. Usage: scripts/import_circles.py
[CRATE_SRC …] (default: every crates/*/src).
"""
import glob
import os
import re
import sys


def modules(root):
    files = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            if name.endswith(".rs"):
                path = os.path.join(dirpath, name)
                mod = os.path.relpath(path, root)[:-3].replace(os.sep, "::")
                if mod.endswith("::mod"):
                    mod = mod[: -len("::mod")]
                if mod in ("lib", "main"):
                    mod = ""
                with open(path, encoding="utf-8") as f:
                    files[mod] = re.split(r"#\[cfg\(test\)\]", f.read())[0]
    return files


def resolve(files, current, path):
    parts = path.split("::")
    if parts[0] == "crate":
        base, parts = [], parts[1:]
    elif parts[0] in ("super", "self"):
        base = current.split("::") if current else []
        while parts and parts[0] == "super":
            base, parts = base[:-1], parts[1:]
        if parts and parts[0] == "self":
            parts = parts[1:]
    else:
        return None
    candidate = base + parts
    for i in range(len(candidate), len(base) - 1, -1):
        mod = "::".join(candidate[:i])
        if mod in files:
            return mod
    return None


def edges_of(files):
    edges = {m: set() for m in files}
    for mod, src in files.items():
        targets = []
        for base, group in re.findall(r"\buse\s+((?:crate|super|self)(?:::\w+)*)(?:::\{([^;]*)\})?", src):
            targets.append(base)
            for item in group.split(",") if group else []:
                item = item.strip().split(" as ")[0].strip()
                if item and item != "self":
                    targets.append(base + "::" + item.split("::")[0])
        targets += re.findall(r"\b((?:crate|super)(?:::\w+)+)", src)
        for t in targets:
            r = resolve(files, mod, t)
            # A module's own parent (its mod.rs) declares it; using the parent's items is not a circle.
            if r and r != mod and not mod.startswith(r + "::"):
                edges[mod].add(r)
    return edges


def circles(edges):
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in edges:
        if v not in index:
            visit(v)
    return found


def main():
    roots = sys.argv[1:] or sorted(glob.glob("crates/*/src"))
    failed = False
    for root in roots:
        edges = edges_of(modules(root))
        for group in circles(edges):
            failed = True
            print(f"{root}: import circle: " + ", ".join(group))
            for m in group:
                print(f"  {m} -> " + ", ".join(sorted(e for e in edges[m] if e in group)))
    if not failed:
        print(f"no import circles in {', '.join(roots)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
