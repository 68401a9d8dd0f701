#!/usr/bin/env bash
# The one set-up script behind README.md's two commands. Idempotent: it installs only
# missing Debian packages, configures the build directory once, and rebuilds
# incrementally.
#   ./setup.sh demo        install, build, run the main demo
#   ./setup.sh test        install, build, run the whole test suite
#   ./setup.sh test-asan   the same suite under AddressSanitizer + UBSan (build-asan/)
#   ./setup.sh test-tsan   the same suite under ThreadSanitizer (build-tsan/)
#   ./setup.sh fuzz [SECONDS]  build the libFuzzer targets with clang and run each (build-fuzz/)
set -euo pipefail
cd "$(dirname "$0")"

packages=(g++ meson ninja-build pkg-config cmake python3
          libuv1-dev libmsgpack-cxx-dev libsodium-dev doctest-dev libbenchmark-dev
          libcli11-dev libtomlplusplus-dev nlohmann-json3-dev
          libcpp-httplib-dev
          iproute2 nftables   # the multi-host (network namespace) test
          prometheus chromium   # promtool checks /metrics; headless chromium renders the status page
          cargo rustc)          # the Rust bindings (bindings/rust/swell; Debian 12: rustc 1.63)

install_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# build DIR [meson options...]
build() {
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@" >/dev/null
  fi
  meson compile -C "$dir"
}

# Runs the suite in DIR and ends with the plain summary line CI reads.
run_tests() {
  local dir=$1 status=0
  meson test -C "$dir" --print-errorlogs --num-processes 2 || status=$?
  local summary=0
  python3 - "$dir/meson-logs/testlog.json" <<'PY' || summary=$?
import json, sys
passed = failed = 0
for line in open(sys.argv[1]):
    result = json.loads(line)["result"]
    if result in ("OK", "EXPECTEDFAIL"):
        passed += 1
    elif result != "SKIP":
        failed += 1
print(f"tests: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
  [ $status -eq 0 ] && [ $summary -eq 0 ]
}

case "${1:-}" in
  demo)
    install_packages "${packages[@]}"
    build build
    ./scripts/cluster-demo.sh build/lib/agent/swell-agent
    ;;
  test)
    install_packages "${packages[@]}"
    build build
    run_tests build
    ;;
  test-asan)
    install_packages "${packages[@]}"
    build build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbenchmarks=false
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 run_tests build-asan
    ;;
  test-tsan)
    install_packages "${packages[@]}"
    build build-tsan -Db_sanitize=thread -Db_lundef=false -Dbenchmarks=false
    TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 run_tests build-tsan
    ;;
  fuzz)
    install_packages "${packages[@]}" clang libclang-rt-14-dev
    if [ ! -f build-fuzz/build.ninja ]; then
      CXX=clang++ meson setup build-fuzz -Dfuzz=true -Dtests=false -Dbenchmarks=false >/dev/null
    fi
    meson compile -C build-fuzz
    seconds=${2:-60}
    status=0
    for target in build-fuzz/fuzz/fuzz_*; do
      [ -f "$target" ] && [ -x "$target" ] || continue   # skip meson's fuzz_*.p directories
      name=$(basename "$target")
      mkdir -p "build-fuzz/corpus/$name"
      # A finding exits non-zero: report it, run the other targets, fail at the end.
      "$target" -max_total_time="$seconds" -print_final_stats=1 "build-fuzz/corpus/$name" \
        fuzz/seeds/"${name#fuzz_}" > "build-fuzz/$name.log" 2>&1 || status=1
      tail -12 "build-fuzz/$name.log"
    done
    exit $status
    ;;
  *)
    echo "usage: $0 demo|test|test-asan|test-tsan|fuzz [SECONDS]" >&2
    exit 2
    ;;
esac
