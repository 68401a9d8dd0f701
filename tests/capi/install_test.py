#!/usr/bin/env python3
"""Installs the build into a temporary DESTDIR and uses it as a host would.

`meson install --destdir TMP`, then: every installed public header compiles alone
from TMP's include dir (no lib/ internals); docs/examples/consumer.c and consumer.cpp
are built with `pkg-config --cflags --libs swell` against TMP, linked to TMP's
libswell.so.0 and run; consumer.c is also linked statically (libswell.a plus
`pkg-config --static`'s private libraries); swell-agent and swell-sim are installed.

usage: install_test.py BUILD_DIR SOURCE_DIR SANITIZE --cc CC... --cxx CXX...
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile


def split_args(argv):
    """BUILD SOURCE SANITIZE --cc cmd... --cxx cmd... -> (build, source, sanitize, cc, cxx)."""
    build, source, sanitize = argv[:3]
    rest = argv[3:]
    cc = rest[rest.index("--cc") + 1:rest.index("--cxx")]
    cxx = rest[rest.index("--cxx") + 1:]
    return build, source, sanitize, cc, cxx


def run(cmd, env=None, what=None):
    """Runs cmd; on failure prints what was run and its output, and exits 1."""
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        print(f"FAILED ({what or 'command'}): {' '.join(cmd)}\n{done.stdout}{done.stderr}")
        sys.exit(1)
    return done.stdout


def find_one(root, pattern):
    """The one path under root matching pattern (a glob), or exit 1."""
    found = glob.glob(os.path.join(root, "**", pattern), recursive=True)
    if len(found) != 1:
        print(f"FAILED: expected one {pattern} under {root}, found {found}")
        sys.exit(1)
    return found[0]


def pkg_config(dest, pc_dir, *args):
    """pkg-config's answer for swell against the tree installed under dest.

    The .pc says prefix=/usr/local: with --destdir that is where the files *will* be,
    not where they are. `pkg-config --define-prefix` cannot fix it on Debian: it derives
    the prefix as the .pc directory's grandparent, which for the multiarch libdir
    (lib/x86_64-linux-gnu/pkgconfig) is .../lib, not the prefix. PKG_CONFIG_SYSROOT_DIR
    is the tool made for a staging tree: it prepends dest to every -I and -L path."""
    env = dict(os.environ, PKG_CONFIG_PATH=pc_dir, PKG_CONFIG_SYSROOT_DIR=dest)
    return run(["pkg-config", *args, "swell"], env=env, what="pkg-config").split()


def check_points_into(dest, flags, prefix):
    """Every flag starting with prefix (-I, -L) names a directory inside dest."""
    paths = [f[len(prefix):] for f in flags if f.startswith(prefix)]
    if not paths or not all(p.startswith(dest) for p in paths):
        print(f"FAILED: {prefix} flags {paths} do not all point into {dest}")
        sys.exit(1)


def check_headers_alone(cxx, cc, include_dir, work):
    """Each installed header compiles on its own from include_dir: nothing reaches lib/."""
    headers = sorted(glob.glob(os.path.join(include_dir, "swell", "*.h")))
    if len(headers) < 5:
        print(f"FAILED: only {headers} installed")
        sys.exit(1)
    for header in headers:
        name = os.path.basename(header)
        source = os.path.join(work, f"only_{name}.cpp")
        with open(source, "w") as f:
            f.write(f'#include "swell/{name}"\n')
        run([*cxx, "-std=c++20", "-fsyntax-only", "-I", include_dir, source], what=f"{name} alone")
    source = os.path.join(work, "only_swell_h.c")
    with open(source, "w") as f:
        f.write('#include "swell/swell.h"\n')
    run([*cc, "-std=c99", "-fsyntax-only", "-I", include_dir, source], what="swell.h alone as C")
    print(f"{len(headers)} installed headers compile alone")


def check_output(binary, env, what):
    """Runs a consumer; it must exit 0, print both members from both views, and 'ok'."""
    out = run([binary], env=env, what=what)
    for line in ("member-1 sees member-1", "member-1 sees member-2", "member-2 sees member-1",
                 "member-2 sees member-2", "consumer: ok"):
        if line not in out:
            print(f"FAILED ({what}): no '{line}' in its output:\n{out}")
            sys.exit(1)
    if "not-alive" in out:
        print(f"FAILED ({what}): a member was not alive:\n{out}")
        sys.exit(1)


def check_linked_to(binary, lib_dir, soname):
    """ldd shows binary loading soname from lib_dir (not some other installed copy)."""
    out = run(["ldd", binary], what="ldd")
    want = os.path.join(lib_dir, soname)
    if not any(line.strip().startswith(soname) and want in line for line in out.splitlines()):
        print(f"FAILED: {binary} does not load {want}:\n{out}")
        sys.exit(1)


def main():
    build, source, sanitize, cc, cxx = split_args(sys.argv[1:])
    # meson test points LD_LIBRARY_PATH at the build's lib/ (this test depends on
    # libswell), and it beats the consumers' RUNPATH: drop it, or they would run
    # against the build tree instead of the installed library.
    os.environ.pop("LD_LIBRARY_PATH", None)
    work = tempfile.mkdtemp(prefix="swell-install-")
    try:
        dest = os.path.join(work, "dest")
        # --no-rebuild: meson test has just built everything, and a second ninja in the
        # same build dir while other tests run would race it.
        run(["meson", "install", "-C", build, "--destdir", dest, "--no-rebuild", "--quiet"], what="meson install")
        pc = find_one(dest, "swell.pc")
        pc_dir = os.path.dirname(pc)
        lib_dir = os.path.dirname(pc_dir)
        shared = find_one(dest, "libswell.so.0")
        static = find_one(dest, "libswell.a")
        for tool in ("swell-agent", "swell-sim"):
            path = find_one(dest, tool)
            if not os.access(path, os.X_OK):
                print(f"FAILED: {path} is not executable")
                sys.exit(1)
        include_dir = find_one(dest, "swell.h").rsplit(os.sep + "swell" + os.sep, 1)[0]
        check_headers_alone(cxx, cc, include_dir, work)

        cflags = pkg_config(dest, pc_dir, "--cflags")
        libs = pkg_config(dest, pc_dir, "--libs")
        static_libs = pkg_config(dest, pc_dir, "--static", "--libs")
        check_points_into(dest, cflags, "-I")
        check_points_into(dest, libs, "-L")
        # An instrumented library needs an instrumented host (the sanitizer runtimes).
        san = [f"-fsanitize={sanitize}"] if sanitize not in ("", "none") else []
        rpath = [f"-Wl,-rpath,{lib_dir}"]
        env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1")

        c_bin = os.path.join(work, "consumer_c")
        run([*cc, "-std=c99", "-Wall", "-Wextra", "-Werror", *san, os.path.join(source, "docs/examples/consumer.c"),
             "-o", c_bin, *cflags, *libs, *rpath], what="cc consumer.c")
        check_linked_to(c_bin, lib_dir, "libswell.so.0")
        check_output(c_bin, env, "consumer.c")

        cpp_bin = os.path.join(work, "consumer_cpp")
        run([*cxx, "-std=c++20", "-Wall", "-Wextra", "-Werror", *san,
             os.path.join(source, "docs/examples/consumer.cpp"), "-o", cpp_bin, *cflags, *libs, *rpath],
            what="c++ consumer.cpp")
        check_linked_to(cpp_bin, lib_dir, "libswell.so.0")
        check_output(cpp_bin, env, "consumer.cpp")

        # Static, as docs/embedding.md says: -l:libswell.a (-lswell would prefer the .so
        # beside it), the rest exactly as `pkg-config --static --libs` gives it.
        static_bin = os.path.join(work, "consumer_c_static")
        static_flags = ["-l:libswell.a" if f == "-lswell" else f for f in static_libs]
        run([*cc, "-std=c99", *san, os.path.join(source, "docs/examples/consumer.c"), "-o", static_bin,
             *cflags, *static_flags], what="cc consumer.c, static")
        if "libswell" in run(["ldd", static_bin], what="ldd"):
            print("FAILED: the static consumer still loads libswell.so")
            sys.exit(1)
        check_output(static_bin, env, "consumer.c, static")
        print(f"installed into {dest}: {os.path.relpath(shared, dest)}, {os.path.relpath(static, dest)}, "
              f"{os.path.relpath(pc, dest)}; consumers (C shared, C++ shared, C static) ran")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
