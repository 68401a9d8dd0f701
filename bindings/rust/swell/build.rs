// Finds libswell with the `pkg-config` command (no crate: the build stays offline) and
// tells cargo how to link it. PKG_CONFIG_PATH picks the tree: an installed swell, or a
// meson build directory's BUILD/meson-uninstalled, whose swell-uninstalled.pc pkg-config
// prefers on its own. Each -L directory is also an rpath, so tests and examples run
// against that build tree without LD_LIBRARY_PATH.
//
//   PKG_CONFIG_PATH=$PWD/build/meson-uninstalled cargo test --offline
use std::env;
use std::path::Path;
use std::process::Command;

fn main() {
    for var in ["PKG_CONFIG", "PKG_CONFIG_PATH", "PKG_CONFIG_LIBDIR", "SWELL_NO_RPATH"] {
        println!("cargo:rerun-if-env-changed={}", var);
    }
    println!("cargo:rerun-if-changed=build.rs");
    let pkg_config = env::var("PKG_CONFIG").unwrap_or_else(|_| "pkg-config".to_string());

    let libs = match run(&pkg_config, &["--libs", "swell"]) {
        Ok(libs) => libs,
        Err(why) => {
            eprintln!(
                "swell build.rs: `{} --libs swell` failed: {}\n\
                 Point PKG_CONFIG_PATH at an installed swell's pkgconfig directory, or at a \
                 meson build's meson-uninstalled directory:\n  \
                 PKG_CONFIG_PATH=/path/to/swell/build/meson-uninstalled cargo test --offline",
                pkg_config, why
            );
            std::process::exit(1);
        }
    };
    // Rebuild when the .pc file changes (a new build directory, a reinstall).
    if let Ok(dir) = run(&pkg_config, &["--variable=pcfiledir", "swell"]) {
        let dir = dir.trim();
        for name in ["swell-uninstalled.pc", "swell.pc"] {
            let pc = Path::new(dir).join(name);
            if pc.exists() {
                println!("cargo:rerun-if-changed={}", pc.display());
            }
        }
    }

    let rpath = env::var_os("SWELL_NO_RPATH").is_none();
    let mut linked = false;
    for flag in libs.split_whitespace() {
        if let Some(dir) = flag.strip_prefix("-L") {
            println!("cargo:rustc-link-search=native={}", dir);
            if rpath {
                println!("cargo:rustc-link-arg=-Wl,-rpath,{}", dir);
            }
        } else if let Some(name) = flag.strip_prefix("-l") {
            println!("cargo:rustc-link-lib={}", name);
            linked |= name == "swell";
        }
    }
    if !linked {
        eprintln!(
            "swell build.rs: `{} --libs swell` printed no -lswell: {}",
            pkg_config,
            libs.trim()
        );
        std::process::exit(1);
    }
}

/// Runs pkg-config with args; its stdout, or why it failed.
fn run(pkg_config: &str, args: &[&str]) -> Result<String, String> {
    let out = Command::new(pkg_config)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run it ({})", e))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    String::from_utf8(out.stdout).map_err(|_| "its output is not UTF-8".to_string())
}
