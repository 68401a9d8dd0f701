"""Runs the Rust bindings' `cargo test --offline` (unit, ABI layout, cluster, doctests;
examples are built too) and then the documented example, against this build tree.

    cargo_test.py CRATE_DIR WORK_DIR LIB_DIR PKG_CONFIG_DIR SWELL_AGENT ABI_LAYOUT SANITIZE

Exits 77 (meson's SKIP) only when cargo is not installed, or on a sanitizer build (an
ASan/TSan libswell cannot be loaded by a Rust program built without the same runtime).
Set SWELL_CARGO to pick a cargo other than the first on PATH.
"""
import os
import shutil
import subprocess
import sys
import time


def main():
    crate, work, lib_dir, pc_dir, swell_agent = (os.path.abspath(a) for a in sys.argv[1:6])
    abi_layout = os.path.abspath(sys.argv[6]) if sys.argv[6] else ""  # "": no C compiler
    sanitize = sys.argv[7]
    if sanitize not in ("", "none"):
        print(f"SKIP: libswell is built with -fsanitize={sanitize}; the Rust bindings run in the plain build")
        return 77
    cargo = os.environ.get("SWELL_CARGO") or shutil.which("cargo")
    if not cargo:
        print("SKIP: cargo is not installed (apt-get install cargo rustc; setup.sh does)")
        return 77
    env = dict(os.environ)
    env.update({
        "CARGO_TARGET_DIR": os.path.join(work, "target"),
        # A private CARGO_HOME: no registry index or credentials from the user's, and
        # nothing written there; --offline keeps cargo off the network.
        "CARGO_HOME": os.path.join(work, "cargo-home"),
        "CARGO_TERM_COLOR": "never",
        "PKG_CONFIG_PATH": pc_dir,
        "LD_LIBRARY_PATH": lib_dir + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else ""),
        "SWELL_AGENT": swell_agent,
        "SWELL_ABI_LAYOUT": abi_layout,
        "RUST_BACKTRACE": "1",
    })
    # rustup's proxies find their toolchains under the real home, not CARGO_HOME.
    if "RUSTUP_HOME" not in env and os.path.isdir(os.path.expanduser("~/.rustup")):
        env["RUSTUP_HOME"] = os.path.expanduser("~/.rustup")
    subprocess.run([cargo, "--version"], env=env, check=False)
    steps = [
        ("cargo test", [cargo, "test", "--offline", "--", "--nocapture"]),
        ("example cluster", [cargo, "run", "--offline", "--example", "cluster"]),
    ]
    for name, cmd in steps:
        began = time.monotonic()
        print(f"== {name}: {' '.join(cmd)}", flush=True)
        status = subprocess.run(cmd, cwd=crate, env=env).returncode
        print(f"== {name}: exit {status} after {time.monotonic() - began:.1f} s", flush=True)
        if status != 0:
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
