#!/usr/bin/env python3
"""libswell.so exports swell's API and nothing else.

Every dynamic symbol it defines is either part of the C ABI (its name starts with
swell_) or of the C++ API (it demangles into namespace swell, or is the typeinfo,
vtable or thunk of a swell type). lib/swell.map (the version script) makes it so; this
test catches a symbol that escapes it: a std:: or msgpack:: template instantiation, a
libuv or libsodium symbol linked in, an extern "C" helper without the prefix. It also
checks that every function swell.h declares is exported.

usage: symbols_test.py LIBSWELL_SO SWELL_H NM CXXFILT
"""
import re
import subprocess
import sys

# Mangled forms of what belongs to namespace swell (lib/swell.map's list): members and
# free functions (_ZN, with const/ref qualifiers), typeinfo, its name, vtable, VTT, and
# thunks. Mangled, because a demangled function template starts with its return type.
SWELL_CXX = re.compile(r"^(_ZN[KRO]{0,2}5swell|_ZT[ISVT]N5swell|_ZThn\d+_N5swell|_ZTv\d+_n?\d+_N5swell)")


def exported(nm, library):
    """(name, type letter) of every defined dynamic symbol of library."""
    out = subprocess.run([nm, "-D", "--defined-only", library], capture_output=True, text=True, check=True).stdout
    symbols = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            symbols.append((parts[-1].split("@")[0], parts[-2]))
    return symbols


def demangle(cxxfilt, names):
    """The demangled form of each name, in order."""
    out = subprocess.run([cxxfilt], input="\n".join(names), capture_output=True, text=True, check=True).stdout
    return out.splitlines()


def declared_functions(header):
    """The functions swell.h declares: 'swell_name(' at the start of a declaration."""
    text = open(header).read()
    return set(re.findall(r"^[a-z_ ]*?[\w*]+\s*\**\s*(swell_\w+)\(", text, re.MULTILINE))


def main():
    library, header, nm, cxxfilt = sys.argv[1:5]
    symbols = exported(nm, library)
    names = [name for name, _ in symbols]
    c_abi = {name for name in names if name.startswith("swell_")}
    cxx = [(name, plain) for name, plain in zip(names, demangle(cxxfilt, names)) if name.startswith("_Z")]
    other = [name for name in names if not name.startswith("swell_") and not name.startswith("_Z")]
    foreign = [(name, plain) for name, plain in cxx if not SWELL_CXX.match(name)]
    declared = declared_functions(header)
    missing = declared - c_abi
    print(f"{len(names)} exported: {len(c_abi)} C ABI (swell_*; swell.h declares {len(declared)}), {len(cxx)} C++ "
          f"({len(cxx) - len(foreign)} in namespace swell)")
    for name in sorted(other):
        print(f"not swell's (no swell_ prefix, not C++): {name}")
    for name, plain in sorted(foreign, key=lambda p: p[1]):
        print(f"not swell's (C++ outside namespace swell): {plain} [{name}]")
    for name in sorted(missing):
        print(f"declared in swell.h but not exported: {name}")
    if len(declared) < 15:
        print(f"found only {len(declared)} functions in {header}: the declaration pattern is out of date")
        sys.exit(1)
    sys.exit(1 if other or foreign or missing else 0)


if __name__ == "__main__":
    main()
