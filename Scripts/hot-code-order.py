#!/usr/bin/env python3
"""Writes a linker symbol ordering (one name a line) from callgrind dumps of genmon.

Usage: hot-code-order.py BINARY DUMP [DUMP...]

Functions of BINARY that ran in the first dump come first, then those that ran only in later ones;
within each group in the binary's present address order, so related code stays together and the
list changes little between recordings. Only names BINARY defines in its code are written.
"""
import re
import subprocess
import sys


def code_symbols(binary):
    """Address of every function symbol the binary defines."""
    listing = subprocess.run(["nm", "--defined-only", binary], capture_output=True, text=True, check=True).stdout
    addresses = {}
    for line in listing.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[1] in "tT":
            addresses.setdefault(fields[2], int(fields[0], 16))
    return addresses


def functions_that_ran(dump, object_name):
    """Names of functions in `object_name` with any cost in a callgrind dump, or called from one."""
    names, objects = {}, {}

    def expand(table, token):
        # Callgrind compresses repeated names: "(12) name" defines number 12, "(12)" refers to it.
        match = re.match(r"\((\d+)\)(?:\s+(.*))?$", token)
        if not match:
            return token
        if match.group(2) is not None:
            table[match.group(1)] = match.group(2)
        return table.get(match.group(1), "")

    ran = set()
    current_object = current_function = called_object = called_function = None
    cost_of_call = False
    with open(dump, errors="replace") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if line.startswith("ob="):
                current_object = expand(objects, line[3:])
            elif line.startswith("fn="):
                current_function = expand(names, line[3:])
            elif line.startswith("cob="):
                called_object = expand(objects, line[4:])
            elif line.startswith("cfn="):
                called_function = expand(names, line[4:])
            elif line.startswith("calls="):
                if (called_object or current_object or "").endswith(object_name):
                    ran.add(called_function)
                called_object, cost_of_call = None, True
            elif line[:1].isdigit() or line[:1] in "+-*":
                if cost_of_call:
                    cost_of_call = False  # the line after calls= is the call's inclusive cost
                elif (current_object or "").endswith(object_name) and current_function:
                    ran.add(current_function)
    # Recursion levels and cycles are marked after the name ("name'2", "name <cycle 1>").
    return {re.sub(r"('\d+| <cycle \d+>)$", "", name) for name in ran if name}


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binary, dumps = sys.argv[1], sys.argv[2:]
    try:
        addresses = code_symbols(binary)
        object_name = "/" + binary.rsplit("/", 1)[-1]
        groups, written = [], set()
        for dump in dumps:
            group = sorted((functions_that_ran(dump, object_name) & addresses.keys()) - written, key=addresses.get)
            groups.append(group)
            written.update(group)
    except subprocess.CalledProcessError as error:
        sys.exit(f"hot-code-order.py: nm could not read {binary}: {error.stderr.strip()}")
    except OSError as error:
        sys.exit(f"hot-code-order.py: {error.filename}: {error.strerror}")
    # An empty list would link like no list at all, silently: say so instead of writing one.
    if not written:
        sys.exit(f"hot-code-order.py: no function of {binary} ran in {', '.join(dumps)}: not callgrind dumps of it?")
    for group in groups:
        for name in group:
            print(name)


if __name__ == "__main__":
    main()
