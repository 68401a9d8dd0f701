#!/usr/bin/env python3
"""include/swell/swell.h is a C99 header: it compiles as C99 and C11 with -Wall -Wextra
-Werror -pedantic (and -Wstrict-prototypes), and as C++11 and C++20, with the compilers
meson found. A translation unit uses every type, so a typo in one is not hidden.

usage: c99_header_test.py INCLUDE_DIR --cc CC... --cxx CXX...
"""
import os
import subprocess
import sys
import tempfile

USE_EVERY_TYPE = r'''
#include "swell/swell.h"
#include "swell/swell.h" /* the include guard holds */

int use_every_type(void);
int use_every_type(void) {
  swell_agent_options o;
  swell_member m;
  swell_evidence ev;
  swell_event e;
  swell_event_callback cb = 0;
  swell_agent* agent = 0;
  swell_snapshot* snap = 0;
  swell_status s = SWELL_OK;
  swell_node_type t = SWELL_NODE_GOVERNATOR;
  swell_member_state st = SWELL_STATE_LEFT;
  swell_event_kind k = SWELL_EVENT_RECOVERED;
  swell_preset p = SWELL_PRESET_LOCAL;
  (void)cb; (void)agent; (void)snap; (void)t; (void)st; (void)k; (void)p;
  return (int)(sizeof o + sizeof m + sizeof ev + sizeof e) + s + SWELL_ABI_VERSION + SWELL_EINTERNAL;
}
'''


def main():
    args = sys.argv[1:]
    include_dir = args[0]
    cc = args[args.index("--cc") + 1:args.index("--cxx")]
    cxx = args[args.index("--cxx") + 1:]
    strict = ["-Wall", "-Wextra", "-Werror", "-pedantic"]
    compiles = [
        (cc, "c", ["-std=c99", "-Wstrict-prototypes", "-Wmissing-prototypes"]),
        (cc, "c", ["-std=c11", "-Wstrict-prototypes", "-Wmissing-prototypes"]),
        (cxx, "cpp", ["-std=c++11"]),
        (cxx, "cpp", ["-std=c++20"]),
    ]
    failed = 0
    with tempfile.TemporaryDirectory() as work:
        for compiler, ext, flags in compiles:
            source = os.path.join(work, f"uses_swell_h.{ext}")
            with open(source, "w") as f:
                f.write(USE_EVERY_TYPE)
            cmd = [*compiler, *strict, *flags, "-I", include_dir, "-c", source, "-o", os.path.join(work, "out.o")]
            done = subprocess.run(cmd, capture_output=True, text=True)
            status = "ok" if done.returncode == 0 else "FAILED"
            print(f"{status}: {' '.join(cmd)}")
            if done.returncode != 0:
                print(done.stdout + done.stderr)
                failed += 1
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
