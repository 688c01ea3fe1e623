//! The GitHub Action (`action.yml`): every step runs a script of `action/`, and each script is
//! run here as the runner would run it, with the `GITHUB_*` variables set, so that a broken step
//! is caught before a user meets it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly on broken fixtures"
)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A scratch directory of this test process, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("azabac-action-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `action/SCRIPT` in `dir` as a step would: `GITHUB_ACTION_PATH` is the checkout,
/// `GITHUB_OUTPUT` and `GITHUB_PATH` files in `scratch`, the built `azabac` first on the PATH
/// (or `path` first, when given), and `env` set.
fn step(
    script: &str,
    dir: &Path,
    scratch: &Path,
    path: Option<&Path>,
    env: &[(&str, &str)],
) -> Output {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_azabac"));
    let first = path.map_or_else(|| binary.parent().unwrap().to_owned(), Path::to_owned);
    let search = format!("{}:/usr/bin:/bin", first.display());
    let mut command = Command::new("bash");
    command
        .arg(Path::new(ROOT).join("action").join(script))
        .current_dir(dir)
        .env_clear()
        .env("PATH", search)
        .env("HOME", scratch)
        .env("GITHUB_ACTION_PATH", ROOT)
        .env("GITHUB_OUTPUT", scratch.join("output"))
        .env("GITHUB_PATH", scratch.join("path"))
        .env("GITHUB_WORKSPACE", dir)
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("RUNNER_TEMP", scratch);
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_default()
}

/// The YAML of a file of the checkout, parsed: a syntax error fails here, not on GitHub.
fn yaml(file: &str) -> yaml_rust2::Yaml {
    let text = read(&Path::new(ROOT).join(file));
    let mut documents = yaml_rust2::YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("{file} is not YAML: {e}"));
    assert_eq!(documents.len(), 1, "{file}");
    documents.remove(0)
}

/// `action.yml` and the workflows are YAML; each step of the action calls a script of
/// `action/` that exists and is executable, and no step carries logic inline; every input the
/// steps use is declared and documented in the README; the workflows use the action.
#[test]
fn every_step_runs_a_script_of_the_action() {
    let action = yaml("action.yml");
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let steps = action["runs"]["steps"].as_vec().unwrap();
    let mut scripts = 0;
    for step in steps {
        let Some(run) = step["run"].as_str() else {
            assert!(
                step["uses"].as_str().is_some(),
                "a step runs or uses: {step:?}"
            );
            continue;
        };
        scripts += 1;
        let script = run
            .strip_prefix("\"$GITHUB_ACTION_PATH/")
            .and_then(|s| s.strip_suffix('"'))
            .unwrap_or_else(|| panic!("a step runs a script of the action: {run}"));
        let path = Path::new(ROOT).join(script);
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&path).unwrap().permissions();
        assert!(mode.mode() & 0o111 != 0, "{script} is executable");
        assert_eq!(step["shell"].as_str(), Some("bash"), "{script}");
    }
    assert_eq!(scripts, 5);
    let inputs = action["inputs"].as_hash().unwrap();
    let readme = read(&Path::new(ROOT).join("README.md"));
    let text = read(&Path::new(ROOT).join("action.yml"));
    for (name, input) in inputs {
        let name = name.as_str().unwrap();
        assert!(
            input["description"].as_str().is_some(),
            "{name} has a description"
        );
        // The README's row: `| `name` | default | meaning |`, the default as action.yml has it.
        let row = readme
            .lines()
            .find(|line| line.starts_with(&format!("| `{name}` |")))
            .unwrap_or_else(|| panic!("README documents {name}"));
        let documented = row
            .split('|')
            .nth(2)
            .unwrap_or_default()
            .trim()
            .trim_matches('`');
        let default = match &input["default"] {
            yaml_rust2::Yaml::String(text) => text.clone(),
            yaml_rust2::Yaml::Boolean(b) => b.to_string(),
            _ => String::new(),
        };
        assert_eq!(documented, default, "the README's default of {name}");
        assert!(
            text.contains(&format!("inputs.{name}")),
            "a step uses {name}"
        );
    }
    for workflow in [
        ".github/workflows/example.yml",
        "examples/ai-delegation/.github/workflows/azabac.yml",
    ] {
        let workflow = yaml(workflow);
        let jobs = workflow["jobs"].as_hash().unwrap();
        let uses: Vec<&str> = jobs
            .values()
            .flat_map(|job| job["steps"].as_vec().unwrap().iter())
            .filter_map(|step| step["uses"].as_str())
            .collect();
        // From a checkout: this repository (`./`) or a copy of it beside the code; never a
        // placeholder to replace.
        assert!(
            uses.iter().any(|u| *u == "./" || *u == "./tools/azabac"),
            "{uses:?}"
        );
    }
}

/// The cache key names the OS, the architecture and a hash of the sources; the install root
/// is under the tool cache.
#[test]
fn the_key_step_hashes_the_sources() {
    let scratch = scratch("key");
    let run = step(
        "key.sh",
        Path::new(ROOT),
        &scratch,
        None,
        &[("RUNNER_TOOL_CACHE", "/opt/hostedtoolcache")],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let output = read(&scratch.join("output"));
    let key = output.lines().find_map(|l| l.strip_prefix("key=")).unwrap();
    let hash = key.strip_prefix("azabac-Linux-X64-").unwrap();
    assert_eq!(hash.len(), 16);
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
    assert!(output.contains(&format!("root=/opt/hostedtoolcache/azabac/{hash}\n")));
    // The same sources, the same key.
    let again = scratch.join("again");
    fs::create_dir_all(&again).unwrap();
    step(
        "key.sh",
        Path::new(ROOT),
        &again,
        None,
        &[("RUNNER_TOOL_CACHE", "/opt/hostedtoolcache")],
    );
    assert_eq!(read(&again.join("output")), output);
}

/// Without a cached binary the step runs `cargo install --locked` on the action's checkout into
/// the root, then puts the root's `bin` on the PATH; with one, it installs nothing; without
/// cargo it fails saying what to add.
#[test]
fn the_install_step_installs_once_and_sets_the_path() {
    let scratch = scratch("install");
    let root = scratch.join("root");
    // A stand-in for cargo that records its arguments and installs the built binary.
    let tools = scratch.join("tools");
    fs::create_dir_all(&tools).unwrap();
    let fake_cargo = tools.join("cargo");
    fs::write(
        &fake_cargo,
        format!(
            "#!/usr/bin/env bash\necho \"$@\" >> '{log}'\nroot=\"${{@: -1}}\"\nmkdir -p \"$root/bin\"\ncp '{bin}' \"$root/bin/azabac\"\n",
            log = scratch.join("cargo.log").display(),
            bin = env!("CARGO_BIN_EXE_azabac"),
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&fake_cargo, fs::Permissions::from_mode(0o755)).unwrap();
    let env = [("AZABAC_ROOT", root.to_str().unwrap())];
    let install = step("install.sh", &scratch, &scratch, Some(&tools), &env);
    assert!(
        install.status.success(),
        "{}",
        String::from_utf8_lossy(&install.stderr)
    );
    assert_eq!(
        read(&scratch.join("cargo.log")),
        format!("install --locked --path {ROOT} --root {}\n", root.display())
    );
    assert_eq!(
        read(&scratch.join("path")),
        format!("{}/bin\n", root.display())
    );
    assert!(
        String::from_utf8(install.stdout)
            .unwrap()
            .starts_with("azabac ")
    );

    // Restored from the cache: nothing to build.
    let cached = step("install.sh", &scratch, &scratch, Some(&tools), &env);
    assert!(cached.status.success());
    assert_eq!(read(&scratch.join("cargo.log")).lines().count(), 1);

    // No cargo, no binary: a clear error.
    let empty = scratch.join("empty");
    fs::create_dir_all(&empty).unwrap();
    let missing = scratch.join("missing");
    let failed = step(
        "install.sh",
        &scratch,
        &scratch,
        Some(&empty),
        &[("AZABAC_ROOT", missing.to_str().unwrap())],
    );
    assert!(!failed.status.success());
    assert!(
        String::from_utf8(failed.stderr)
            .unwrap()
            .contains("cargo is not installed")
    );
    // The installed copy of the binary is large: leave nothing behind.
    fs::remove_dir_all(&scratch).unwrap();
}

/// One check run gives annotations and the SARIF log, whose path is the step's output, and
/// fails when a condition is invalid, after writing the log for the upload.
#[test]
fn the_check_step_writes_annotations_and_sarif() {
    let scratch = scratch("check");
    let sarif = scratch.join("out.sarif");
    let sarif_arg = sarif.to_str().unwrap();
    let clean = step(
        "check.sh",
        Path::new(ROOT),
        &scratch,
        None,
        &[
            ("INPUT_PATHS", "examples/iac"),
            ("INPUT_SARIF_FILE", sarif_arg),
            ("INPUT_ARGS", "--no-config"),
        ],
    );
    assert!(
        clean.status.success(),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );
    let log: serde_json::Value = serde_json::from_str(&read(&sarif)).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(read(&scratch.join("output")).contains(&format!("sarif-file={sarif_arg}\n")));

    fs::remove_file(&sarif).unwrap();
    let failing = step(
        "check.sh",
        Path::new(ROOT),
        &scratch,
        None,
        &[
            (
                "INPUT_PATHS",
                "corpus/conditions/docs-rejected corpus/iac/bicep",
            ),
            ("INPUT_SARIF_FILE", sarif_arg),
            ("INPUT_ARGS", "--no-config --deny widens-access"),
        ],
    );
    assert_eq!(failing.status.code(), Some(1));
    let annotations = String::from_utf8(failing.stdout).unwrap();
    assert!(
        annotations.contains(
            "::error file=corpus/conditions/docs-rejected/fmt-skeleton-simple.cond,line=7,col=9"
        ),
        "{annotations}"
    );
    assert!(
        sarif.exists(),
        "the log is written for the upload even when the check fails"
    );

    // Nothing to check: exit 2, unless allow-empty.
    let empty = scratch.join("empty");
    fs::create_dir_all(&empty).unwrap();
    let none = step(
        "check.sh",
        &empty,
        &scratch,
        None,
        &[("INPUT_ARGS", "--no-config")],
    );
    assert_eq!(none.status.code(), Some(2));
    let allowed = step(
        "check.sh",
        &empty,
        &scratch,
        None,
        &[("INPUT_ARGS", "--no-config"), ("INPUT_ALLOW_EMPTY", "true")],
    );
    assert!(
        allowed.status.success(),
        "{}",
        String::from_utf8_lossy(&allowed.stderr)
    );
}

/// The test and snapshot steps run the example project's suites and pinned snapshots, with
/// its azabac.toml.
#[test]
fn the_test_and_snapshot_steps_run_the_example_project() {
    let scratch = scratch("suites");
    let project = Path::new(ROOT).join("examples/ai-delegation");
    let test = step(
        "test.sh",
        &project,
        &scratch,
        None,
        &[("INPUT_TEST", "tests")],
    );
    assert!(
        test.status.success(),
        "{}",
        String::from_utf8_lossy(&test.stdout)
    );
    let failing = step(
        "test.sh",
        &project,
        &scratch,
        None,
        &[("INPUT_TEST", "failing")],
    );
    assert_eq!(failing.status.code(), Some(1));
    assert!(
        String::from_utf8(failing.stdout)
            .unwrap()
            .contains("::error file=failing/")
    );

    let snapshots = step("snapshot.sh", &project, &scratch, None, &[]);
    assert!(
        snapshots.status.success(),
        "{}",
        String::from_utf8_lossy(&snapshots.stdout)
    );
    assert_eq!(
        String::from_utf8(snapshots.stdout).unwrap(),
        "snapshots: 2 match, 0 differ\n"
    );

    // The project's own check: its azabac.toml makes widens-access fail, its suppressions hold.
    let check = step(
        "check.sh",
        &project,
        &scratch,
        None,
        &[("INPUT_SARIF_FILE", "../../target/example.sarif")],
    );
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    // A relative log path is reported absolute, for the upload step.
    assert!(read(&scratch.join("output")).contains(&format!(
        "sarif-file={}/../../target/example.sarif\n",
        project.display()
    )));
}
