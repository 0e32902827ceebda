//! Tests of the `darklaunch` command-line tool (feature `cli`; `cargo test --features cli`):
//! the round trip on the example ruleset, exit codes (0 ok, 1 rejected, 2 usage) and messages,
//! every command's help, and interop with Node's `crypto` and the OpenSSL command line (both
//! must be installed: they are on the development machines and in CI).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_darklaunch");
const ISSUED: &str = "2026-11-30T09:00:00Z";
/// `ISSUED` in Unix seconds: the default version of a snapshot signed at `ISSUED`.
const ISSUED_VERSION: u64 = 1_796_029_200;
const NOW: &str = "2026-12-03T10:00:00Z";
const COMMANDS: [&str; 7] = ["keygen", "sign", "verify", "lint", "eval", "simulate", "diff"];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn example() -> String {
    root()
        .join("examples/rulesets/dark-launch.json")
        .display()
        .to_string()
}

/// A fresh directory under the system temp dir, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("darklaunch-cli-{name}-{}-{unique}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        Scratch(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> String {
        std::fs::write(self.path(name), contents).expect("write scratch file");
        name.to_string()
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:#?}"))
    }

    fn ok(self) -> Self {
        assert_eq!(self.code, 0, "expected success: {self:#?}");
        self
    }

    fn fails(self, code: i32) -> Self {
        assert_eq!(self.code, code, "expected exit {code}: {self:#?}");
        self
    }
}

fn run(dir: &Path, program: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let output = Command::new(program)
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn darklaunch(dir: &Scratch, args: &[&str]) -> Run {
    run(&dir.0, BIN, args, &[])
}

/// `keygen --key-id ID --out keys`; returns the base64 public key.
fn keygen(dir: &Scratch, id: &str) -> String {
    darklaunch(dir, &["keygen", "--key-id", id, "--out", "keys"]).ok();
    dir.read(&format!("keys/{id}.pub")).trim().to_string()
}

fn keyring(dir: &Scratch, name: &str, keys: &[(&str, &str)], threshold: usize) -> String {
    let keys: serde_json::Map<String, Value> = keys
        .iter()
        .map(|(id, key)| (id.to_string(), json!(key)))
        .collect();
    dir.write(name, json!({ "keys": keys, "threshold": threshold }).to_string())
}

/// Signs `ruleset` for prod at `ISSUED` (30 days) with keys/ID.pem for each id.
fn sign(dir: &Scratch, ruleset: &str, ids: &[&str], out: &str) -> Run {
    let mut args = vec![
        "sign",
        "--environment",
        "prod",
        "--issued-at",
        ISSUED,
        "--expires",
        "30d",
    ];
    let pems: Vec<String> = ids.iter().map(|id| format!("keys/{id}.pem")).collect();
    for (id, pem) in ids.iter().zip(&pems) {
        args.extend(["--key", pem.as_str(), "--key-id", id]);
    }
    args.extend([ruleset, "--out", out]);
    darklaunch(dir, &args)
}

fn verify(dir: &Scratch, keyring: &str, snapshot: &str, extra: &[&str]) -> Run {
    let mut args = vec!["verify", "--keyring", keyring, "--environment", "prod", "--json"];
    if !extra.contains(&"--now") {
        args.extend(["--now", NOW]);
    }
    args.extend(extra);
    args.push(snapshot);
    darklaunch(dir, &args)
}

/// A key pair `ci` and a keyring trusting it; returns the public key.
fn setup(dir: &Scratch) -> String {
    let public = keygen(dir, "ci");
    keyring(dir, "keyring.json", &[("ci", &public)], 1);
    public
}

fn error_code(run: &Run) -> String {
    run.json()["error"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn envelope(dir: &Scratch, name: &str) -> Value {
    serde_json::from_str(&dir.read(name)).expect("envelope JSON")
}

fn payload_of(envelope: &Value) -> Vec<u8> {
    STANDARD
        .decode(envelope["payload"].as_str().expect("payload"))
        .expect("base64")
}

// ---------------------------------------------------------------------------------------
// Help and usage errors

#[test]
fn every_command_has_help() {
    let dir = Scratch::new("help");
    let top = darklaunch(&dir, &["--help"]).ok();
    for command in COMMANDS {
        assert!(top.stdout.contains(command), "top-level help lists {command}");
        let help = darklaunch(&dir, &[command, "--help"]).ok();
        assert!(
            help.stdout.contains(&format!("Usage: darklaunch {command}")),
            "{command} --help: {help:#?}"
        );
        darklaunch(&dir, &["help", command]).ok();
    }
    darklaunch(&dir, &["--version"]).ok();
}

#[test]
fn usage_errors_exit_2() {
    let dir = Scratch::new("usage");
    setup(&dir);
    for args in [
        &[][..],
        &["frobnicate"],
        &["sign", "--key", "keys/ci.pem", "--key-id", "ci", "ruleset.json"], // no --environment
        &["verify", "--environment", "prod", "snapshot.json"],               // no --keyring
        &["verify", "--keyring", "keyring.json", "snapshot.json"],           // no --environment
        &["lint", "--no-such-flag", "x.json"],
        &["eval", "--unsigned", "x.json", "--flag", "f"], // no --context
        &["diff", "a.json", "b.json", "--users", "5", "--ids", "ids.txt"],
    ] {
        let run = darklaunch(&dir, args).fails(2);
        assert!(
            run.stderr.contains("Usage") || run.stderr.contains("usage"),
            "{args:?}: {run:#?}"
        );
    }
    let example = example();
    // The CLI's own usage errors name the flag.
    for (args, flag) in [
        (vec!["lint", "--now", "yesterday", &example], "--now"),
        (
            vec![
                "sign",
                "--key",
                "keys/ci.pem",
                "--key-id",
                "ci",
                "--environment",
                "prod",
                "--expires",
                "soon",
                &example,
            ],
            "--expires",
        ),
        (
            vec![
                "sign",
                "--key",
                "keys/ci.pem",
                "--key",
                "keys/ci.pem",
                "--key-id",
                "ci",
                "--environment",
                "prod",
                &example,
            ],
            "--key-id",
        ),
        (
            vec![
                "sign",
                "--key",
                "keys/ci.pem",
                "--key-id",
                "ci",
                "--environment",
                "pr od",
                &example,
            ],
            "--environment",
        ),
        (
            vec![
                "eval",
                "--unsigned",
                &example,
                "--flag",
                "new-checkout",
                "--context",
                "{nope",
            ],
            "--context",
        ),
        (
            vec![
                "eval",
                "--unsigned",
                &example,
                "--flag",
                "new-checkout",
                "--context",
                "[1]",
            ],
            "--context",
        ),
        (
            vec!["simulate", &example, "--flag", "new-checkout", "--users", "0"],
            "--users",
        ),
    ] {
        let run = darklaunch(&dir, &args).fails(2);
        assert!(run.stderr.contains(flag), "{args:?} should name {flag}: {run:#?}");
    }
    // An unreadable input is a usage error too, naming the file.
    let run = darklaunch(&dir, &["lint", "missing.json"]).fails(2);
    assert!(run.stderr.contains("missing.json"), "{run:#?}");
}

// ---------------------------------------------------------------------------------------
// The round trip

#[test]
fn round_trip_on_the_example() {
    let dir = Scratch::new("roundtrip");
    let public = setup(&dir);
    assert_eq!(STANDARD.decode(&public).map(|k| k.len()).ok(), Some(32));
    let example = example();

    let signed = sign(&dir, &example, &["ci"], "snapshot.json").ok();
    assert!(signed.stdout.is_empty(), "--out keeps stdout empty");
    // The payload is the ruleset with the signed fields after `schema`, key order kept.
    let payload: Value =
        serde_json::from_slice(&payload_of(&envelope(&dir, "snapshot.json"))).expect("payload");
    let keys: Vec<&str> = payload
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "schema",
            "version",
            "issued_at",
            "expires",
            "environment",
            "segments",
            "flags"
        ]
    );
    let flags: Vec<&str> = payload["flags"]
        .as_object()
        .expect("flags")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(flags, ["new-checkout", "checkout-copy"], "flag order kept");
    assert_eq!(payload["version"], json!(ISSUED_VERSION));
    assert_eq!(payload["expires"], json!("2026-12-30T09:00:00Z"));

    let verified = verify(&dir, "keyring.json", "snapshot.json", &[]).ok().json();
    assert_eq!(verified["ok"], json!(true));
    assert_eq!(verified["version"], json!(ISSUED_VERSION));
    assert_eq!(verified["environment"], json!("prod"));
    assert_eq!(verified["issuedAt"], json!(ISSUED));
    assert_eq!(verified["keyIds"], json!(["ci"]));
    assert_eq!(verified["flags"], json!(2));
    assert_eq!(verified["stale"], json!(false));

    // user-104 sits at 0.74% of the range: inside since the 1% stage.
    let eval = darklaunch(
        &dir,
        &[
            "eval",
            "--keyring",
            "keyring.json",
            "--environment",
            "prod",
            "--now",
            NOW,
            "snapshot.json",
            "--flag",
            "new-checkout",
            "--context",
            r#"{"targetingKey": "user-104", "appVersion": "4.3.1"}"#,
        ],
    )
    .ok()
    .json();
    assert_eq!(eval["value"], json!(true));
    assert_eq!(eval["variant"], json!("on"));
    assert_eq!(eval["reason"], json!("SPLIT"));
    assert_eq!(eval["errorCode"], Value::Null);
    assert_eq!(eval["stage"], json!(1));
    assert_eq!(eval["bucket"]["inside"], json!(true));
    assert_eq!(eval["bucket"]["exposurePercent"], json!(5));
    let position: u64 = eval["bucket"]["position"]
        .as_str()
        .expect("decimal string")
        .parse()
        .expect("u64");
    assert!(position < u64::MAX / 100, "inside 1%: {position}");
    assert_eq!(eval["unsigned"], json!(false));
    assert_eq!(eval["snapshot"]["version"], json!(ISSUED_VERSION));
    assert_eq!(eval["metadata"]["owner"], json!("payments"));

    // Staff match the first rule whatever their bucket.
    let staff = darklaunch(
        &dir,
        &[
            "eval",
            "--keyring",
            "keyring.json",
            "--environment",
            "prod",
            "--now",
            NOW,
            "snapshot.json",
            "--flag",
            "new-checkout",
            "--context",
            r#"{"targetingKey": "user-42", "email": "Ana@Example.com"}"#,
        ],
    )
    .ok()
    .json();
    assert_eq!(staff["reason"], json!("TARGETING_MATCH"));
    assert_eq!(staff["rule"], json!(0));
    assert_eq!(staff["ruleId"], json!("staff-first"));

    // Shares at each stage (the default times), and nobody leaves.
    let simulated = darklaunch(
        &dir,
        &[
            "simulate",
            "--keyring",
            "keyring.json",
            "--environment",
            "prod",
            "--now",
            NOW,
            "snapshot.json",
            "--flag",
            "new-checkout",
            "--json",
        ],
    )
    .ok()
    .json();
    assert_eq!(simulated["units"], json!(10_000));
    assert_eq!(simulated["timesFromStages"], json!(true));
    let times = simulated["times"].as_array().expect("times");
    assert_eq!(times.len(), 3);
    for (moment, target) in times.iter().zip([1.0, 5.0, 30.0]) {
        let share = moment["percent"]["on"].as_f64().expect("share");
        assert!(
            (share - target).abs() < target * 0.2 + 0.3,
            "{share}% for {target}%"
        );
        assert_eq!(moment["left"], json!(0), "sticky: {moment}");
    }

    // The next publish widens stage 1 to 10%: only off→on.
    let next = std::fs::read_to_string(&example)
        .expect("example")
        .replace("\"percent\": 5\n", "\"percent\": 10\n");
    dir.write("next.json", next);
    darklaunch(
        &dir,
        &[
            "sign",
            "--key",
            "keys/ci.pem",
            "--key-id",
            "ci",
            "--environment",
            "prod",
            "--issued-at",
            "2026-12-03T12:00:00Z",
            "next.json",
            "--out",
            "next-snapshot.json",
        ],
    )
    .ok();
    let last = ISSUED_VERSION.to_string();
    verify(
        &dir,
        "keyring.json",
        "next-snapshot.json",
        &["--now", "2026-12-03T12:00:00Z", "--last-version", &last],
    )
    .ok();
    let diff = darklaunch(
        &dir,
        &[
            "diff",
            "--keyring",
            "keyring.json",
            "--environment",
            "prod",
            "--now",
            "2026-12-03T12:00:00Z",
            "--at",
            "2026-12-03T12:00:00Z",
            "--fail-on-shrink",
            "--json",
            "snapshot.json",
            "next-snapshot.json",
        ],
    )
    .ok()
    .json();
    assert_eq!(diff["shrinks"], json!(false));
    let changed = diff["changed"].as_array().expect("changed");
    let checkout = changed
        .iter()
        .find(|c| c["flag"] == "new-checkout")
        .expect("new-checkout changed");
    assert_eq!(checkout["onToOff"], json!(0));
    assert!(
        checkout["offToOn"].as_u64().unwrap_or_default() > 300,
        "{checkout}"
    );
    assert_eq!(checkout["definitionChanged"], json!(true));
    // Going back is a shrink.
    darklaunch(
        &dir,
        &[
            "diff",
            "--keyring",
            "keyring.json",
            "--environment",
            "prod",
            "--now",
            "2026-12-03T12:00:00Z",
            "--at",
            "2026-12-03T12:00:00Z",
            "--fail-on-shrink",
            "next-snapshot.json",
            "snapshot.json",
        ],
    )
    .fails(1);
}

/// The README's "Command-line tool" section shows the commands of examples/cli-roundtrip.sh;
/// this runs the script and checks that every command in the README is in it.
#[test]
fn readme_round_trip_script_runs_and_matches_the_readme() {
    let dir = Scratch::new("readme");
    let script = root().join("examples/cli-roundtrip.sh");
    let work = dir.path("work").display().to_string();
    let run = run(
        &dir.0,
        "bash",
        &[&script.display().to_string(), &work],
        &[("DARKLAUNCH", BIN)],
    )
    .ok();
    assert!(run.stdout.contains("OK next-snapshot.json"), "{run:#?}");
    assert!(run.stdout.contains("\"variant\": \"on\""), "{run:#?}");

    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let section = readme
        .split("## Command-line tool")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("README has a Command-line tool section");
    let block = section
        .split("```sh\n")
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .find(|block| block.starts_with("darklaunch keygen"))
        .expect("a sh block with the round trip in the section");
    let script_text = std::fs::read_to_string(&script).expect("script");
    let mut commands = 0;
    for line in block
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        assert!(
            script_text.contains(line),
            "README line not in examples/cli-roundtrip.sh: {line}"
        );
        commands += usize::from(line.starts_with("darklaunch "));
    }
    assert!(
        commands >= 8,
        "the README block shows the round trip ({commands} commands)"
    );
}

// ---------------------------------------------------------------------------------------
// sign

#[test]
fn sign_refuses_an_invalid_ruleset() {
    let dir = Scratch::new("sign-invalid");
    setup(&dir);
    let bad = r#"{"schema": "darklaunch/v1", "flags": {"f": {"variants": {"on": true, "off": false}, "off": "of", "default": "on"}}}"#;
    dir.write("bad.json", bad);
    let run = sign(&dir, "bad.json", &["ci"], "snapshot.json").fails(1);
    assert!(run.stderr.contains("bad.json"), "{run:#?}");
    assert!(run.stderr.contains("UNKNOWN_VARIANT"), "{run:#?}");
    assert!(run.stderr.contains("/flags/f/off"), "{run:#?}");
    assert!(!dir.path("snapshot.json").exists(), "nothing written");

    dir.write("broken.json", "{\"schema\": ");
    let run = sign(&dir, "broken.json", &["ci"], "snapshot.json").fails(1);
    assert!(run.stderr.contains("INVALID_JSON"), "{run:#?}");
}

#[test]
fn sign_refuses_keys_of_other_shapes() {
    let dir = Scratch::new("sign-keys");
    setup(&dir);
    let example = example();
    let public_pem = run(&dir.0, "openssl", &["pkey", "-in", "keys/ci.pem", "-pubout"], &[])
        .ok()
        .stdout;
    dir.write("public.pem", public_pem);
    dir.write("garbage.pem", "hello\n");
    let rsa = run(
        &dir.0,
        "openssl",
        &["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"],
        &[],
    )
    .ok()
    .stdout;
    dir.write("rsa.pem", rsa);
    for (file, expected) in [
        ("public.pem", "public key"),
        ("garbage.pem", "not a PEM"),
        ("rsa.pem", "not an Ed25519 key"),
    ] {
        let run = darklaunch(
            &dir,
            &[
                "sign",
                "--key",
                file,
                "--key-id",
                "x",
                "--environment",
                "prod",
                &example,
            ],
        )
        .fails(1);
        assert!(
            run.stderr.contains("KEY_FORMAT") && run.stderr.contains(expected),
            "{file}: {run:#?}"
        );
        assert!(run.stderr.contains(file), "names the file: {run:#?}");
    }
}

#[test]
fn threshold_signatures_with_several_keys_and_cosign() {
    let dir = Scratch::new("threshold");
    let a = keygen(&dir, "a");
    let b = keygen(&dir, "b");
    let c = keygen(&dir, "c");
    keyring(&dir, "two-of-three.json", &[("a", &a), ("b", &b), ("c", &c)], 2);
    let example = example();

    sign(&dir, &example, &["a"], "one.json").ok();
    let run = verify(&dir, "two-of-three.json", "one.json", &[]).fails(1);
    assert_eq!(error_code(&run), "THRESHOLD_NOT_MET");

    // A second signer adds theirs to the same envelope.
    darklaunch(
        &dir,
        &[
            "sign",
            "--key",
            "keys/c.pem",
            "--key-id",
            "c",
            "--cosign",
            "one.json",
            "--out",
            "two.json",
        ],
    )
    .ok();
    assert_eq!(
        payload_of(&envelope(&dir, "one.json")),
        payload_of(&envelope(&dir, "two.json"))
    );
    let verified = verify(&dir, "two-of-three.json", "two.json", &[]).ok().json();
    assert_eq!(verified["keyIds"], json!(["a", "c"]));
    // The same key id twice is refused.
    let run = darklaunch(
        &dir,
        &[
            "sign",
            "--key",
            "keys/c.pem",
            "--key-id",
            "c",
            "--cosign",
            "two.json",
        ],
    )
    .fails(1);
    assert!(run.stderr.contains("DUPLICATE_SIGNATURE"), "{run:#?}");
    // --cosign does not take the ruleset's options.
    darklaunch(
        &dir,
        &[
            "sign",
            "--key",
            "keys/c.pem",
            "--key-id",
            "c",
            "--cosign",
            "one.json",
            "--environment",
            "prod",
        ],
    )
    .fails(2);

    // Or one signer holding both keys.
    sign(&dir, &example, &["a", "b"], "both.json").ok();
    let verified = verify(&dir, "two-of-three.json", "both.json", &[]).ok().json();
    assert_eq!(verified["keyIds"], json!(["a", "b"]));
    // The same key under two ids is refused before signing.
    let run = darklaunch(
        &dir,
        &[
            "sign",
            "--key",
            "keys/a.pem",
            "--key-id",
            "a",
            "--key",
            "keys/a.pem",
            "--key-id",
            "a2",
            "--environment",
            "prod",
            &example,
        ],
    )
    .fails(2);
    assert!(run.stderr.contains("duplicate"), "{run:#?}");
}

// ---------------------------------------------------------------------------------------
// keygen

#[test]
fn keygen_writes_a_private_pem_and_refuses_to_overwrite() {
    let dir = Scratch::new("keygen");
    let result = darklaunch(
        &dir,
        &["keygen", "--key-id", "ci-2026", "--out", "keys", "--json"],
    )
    .ok()
    .json();
    let public = result["publicKey"].as_str().expect("publicKey").to_string();
    assert_eq!(
        result["keyring"],
        json!({ "keys": { "ci-2026": public }, "threshold": 1 })
    );
    let pem = dir.read("keys/ci-2026.pem");
    assert!(
        pem.starts_with("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI"),
        "{pem}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path("keys/ci-2026.pem"))
            .expect("pem")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // OpenSSL derives the same public key from the PEM.
    let der = Command::new("openssl")
        .args(["pkey", "-in", "keys/ci-2026.pem", "-pubout", "-outform", "DER"])
        .current_dir(&dir.0)
        .output()
        .expect("openssl");
    assert!(der.status.success());
    assert_eq!(STANDARD.encode(&der.stdout[der.stdout.len() - 32..]), public);

    let run = darklaunch(&dir, &["keygen", "--key-id", "ci-2026", "--out", "keys"]).fails(1);
    assert!(
        run.stderr.contains("ci-2026.pem") && run.stderr.contains("overwrite"),
        "{run:#?}"
    );
    assert_eq!(dir.read("keys/ci-2026.pem"), pem, "unchanged");
    let run = darklaunch(&dir, &["keygen", "--key-id", "a/b", "--out", "keys"]).fails(2);
    assert!(run.stderr.contains("--key-id"), "{run:#?}");
}

// ---------------------------------------------------------------------------------------
// verify

#[test]
fn verify_rejects_a_tampered_snapshot() {
    let dir = Scratch::new("tampered");
    setup(&dir);
    sign(&dir, &example(), &["ci"], "snapshot.json").ok();
    let original = envelope(&dir, "snapshot.json");

    let mut payload = payload_of(&original);
    let at = payload.len() / 2;
    payload[at] ^= 0x01;
    let mut tampered = original.clone();
    tampered["payload"] = json!(STANDARD.encode(&payload));
    dir.write("tampered.json", tampered.to_string());
    let run = verify(&dir, "keyring.json", "tampered.json", &[]).fails(1);
    assert_eq!(error_code(&run), "SIGNATURE_INVALID");
    assert!(
        run.stderr.contains("tampered.json") && run.stderr.contains("/signatures"),
        "{run:#?}"
    );

    let mut sig = STANDARD
        .decode(original["signatures"][0]["sig"].as_str().expect("sig"))
        .expect("base64");
    sig[0] ^= 0x80;
    let mut tampered = original.clone();
    tampered["signatures"][0]["sig"] = json!(STANDARD.encode(&sig));
    dir.write("bad-sig.json", tampered.to_string());
    assert_eq!(
        error_code(&verify(&dir, "keyring.json", "bad-sig.json", &[]).fails(1)),
        "SIGNATURE_INVALID"
    );

    let mut tampered = original;
    tampered["payloadType"] = json!("application/json");
    dir.write("bad-type.json", tampered.to_string());
    assert_eq!(
        error_code(&verify(&dir, "keyring.json", "bad-type.json", &[]).fails(1)),
        "WRONG_PAYLOAD_TYPE"
    );

    dir.write("not-an-envelope.json", "{\"payload\": 1}");
    assert_eq!(
        error_code(&verify(&dir, "keyring.json", "not-an-envelope.json", &[]).fails(1)),
        "MALFORMED_ENVELOPE"
    );
}

#[test]
fn verify_rejects_a_wrong_keyring() {
    let dir = Scratch::new("wrong-keyring");
    setup(&dir);
    sign(&dir, &example(), &["ci"], "snapshot.json").ok();
    let other = keygen(&dir, "other");
    // A keyring without the signing key, even under the signature's key id.
    keyring(&dir, "other.json", &[("ci", &other)], 1);
    let run = verify(&dir, "other.json", "snapshot.json", &[]).fails(1);
    assert_eq!(error_code(&run), "SIGNATURE_INVALID");
    // A keyring file that is itself invalid.
    dir.write("broken-keyring.json", r#"{"keys": {"ci": "not base64!"}}"#);
    let run = verify(&dir, "broken-keyring.json", "snapshot.json", &[]).fails(1);
    assert_eq!(error_code(&run), "KEY_REJECTED");
    assert!(
        run.stderr.contains("broken-keyring.json") && run.stderr.contains("/keys/ci"),
        "{run:#?}"
    );
    dir.write(
        "weak-keyring.json",
        json!({ "keys": { "zero": STANDARD.encode([0u8; 32]) } }).to_string(),
    );
    assert_eq!(
        error_code(&verify(&dir, "weak-keyring.json", "snapshot.json", &[]).fails(1)),
        "KEY_REJECTED"
    );
}

#[test]
fn verify_applies_the_host_policy() {
    let dir = Scratch::new("policy");
    setup(&dir);
    sign(&dir, &example(), &["ci"], "snapshot.json").ok();
    let expect = |extra: &[&str], code: &str| {
        let run = verify(&dir, "keyring.json", "snapshot.json", extra).fails(1);
        assert_eq!(error_code(&run), code, "{extra:?}: {run:#?}");
    };
    let staging = darklaunch(
        &dir,
        &[
            "verify",
            "--keyring",
            "keyring.json",
            "--environment",
            "staging",
            "--now",
            NOW,
            "--json",
            "snapshot.json",
        ],
    )
    .fails(1);
    assert_eq!(error_code(&staging), "WRONG_ENVIRONMENT");
    expect(&["--now", "2027-01-01T00:00:00Z"], "EXPIRED");
    expect(&["--now", "2026-11-30T08:00:00Z"], "ISSUED_IN_FUTURE");
    let newer = (ISSUED_VERSION + 1).to_string();
    let same = ISSUED_VERSION.to_string();
    let older = (ISSUED_VERSION - 1).to_string();
    expect(&["--last-version", &newer], "ROLLBACK");
    expect(&["--last-version", &same], "NOT_NEWER");
    verify(&dir, "keyring.json", "snapshot.json", &["--last-version", &older]).ok();

    // With the digest verify printed, the identical snapshot is "unchanged", another one with
    // the same version a conflict.
    let digest = verify(&dir, "keyring.json", "snapshot.json", &[]).ok().json()["digest"]
        .as_str()
        .expect("digest")
        .to_string();
    let unchanged = verify(
        &dir,
        "keyring.json",
        "snapshot.json",
        &["--last-version", &same, "--last-digest", &digest],
    );
    assert_eq!(unchanged.ok().json()["unchanged"], json!(true));
    let other_digest = "00".repeat(32);
    expect(
        &["--last-version", &same, "--last-digest", &other_digest],
        "VERSION_CONFLICT",
    );

    // A host may keep serving an expired snapshot: reported as stale.
    let stale = verify(
        &dir,
        "keyring.json",
        "snapshot.json",
        &["--now", "2027-01-01T00:00:00Z", "--allow-stale"],
    );
    assert_eq!(stale.ok().json()["stale"], json!(true));
    let eval = darklaunch(
        &dir,
        &[
            "eval",
            "--keyring",
            "keyring.json",
            "--environment",
            "prod",
            "--now",
            "2027-01-01T00:00:00Z",
            "--allow-stale",
            "snapshot.json",
            "--flag",
            "checkout-copy",
            "--context",
            r#"{"targetingKey": "u"}"#,
        ],
    )
    .ok()
    .json();
    assert_eq!(eval["reason"], json!("STALE"));
    assert_eq!(eval["snapshot"]["stale"], json!(true));
}

// ---------------------------------------------------------------------------------------
// lint, eval, simulate, diff

const LINT_FIXTURE: &str = r#"{
  "schema": "darklaunch/v1",
  "segments": {
    "staff": { "if": { "attr": "email", "op": "ends_with", "value": "@example.com" } },
    "forgotten": { "include": ["user-1"] }
  },
  "flags": {
    "checkout": {
      "variants": { "on": true, "off": false }, "off": "off",
      "metadata": { "owner": "payments", "temporary": true, "remove_by": "2026-01-31" },
      "rules": [ { "if": { "not": { "any": [ { "segment": "staff" } ] } }, "serve": "off" } ],
      "default": { "rollout": { "variants": { "on": 1 }, "stages": [
        { "at": "2026-12-01T09:00:00Z", "percent": 10 },
        { "at": "2026-12-02T09:00:00Z", "percent": 2, "rollback": true } ] } }
    },
    "banner": { "variants": { "a": "A", "b": "B" }, "off": "a", "default": "b" }
  }
}"#;

#[test]
fn lint_reports_errors_warnings_and_info() {
    let dir = Scratch::new("lint");
    dir.write("ruleset.json", LINT_FIXTURE);
    let report = darklaunch(&dir, &["lint", "--json", "--now", NOW, "ruleset.json"])
        .ok()
        .json();
    let findings: Vec<(String, String, String)> = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let field = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (field("level"), field("code"), field("path"))
        })
        .collect();
    let expected = [
        (
            "warning",
            "ROLLBACK_STAGE",
            "/flags/checkout/default/rollout/stages/1",
        ),
        (
            "warning",
            "REMOVE_BY_PASSED",
            "/flags/checkout/metadata/remove_by",
        ),
        ("warning", "MISSING_OWNER", "/flags/banner"),
        ("warning", "UNUSED_SEGMENT", "/segments/forgotten"),
        ("info", "STATIC_FLAG", "/flags/banner/default"),
    ];
    for (level, code, path) in expected {
        assert!(
            findings
                .iter()
                .any(|f| (f.0.as_str(), f.1.as_str(), f.2.as_str()) == (level, code, path)),
            "missing {code} at {path}: {findings:#?}"
        );
    }
    assert_eq!(findings.len(), expected.len(), "{findings:#?}");
    assert_eq!(report["warnings"], json!(4));
    assert_eq!(report["errors"], json!(0));

    // Warnings fail only on request; info never does.
    darklaunch(&dir, &["lint", "--deny-warnings", "--now", NOW, "ruleset.json"]).fails(1);
    let text = darklaunch(&dir, &["lint", "--now", NOW, "ruleset.json"]).ok();
    assert!(
        text.stdout
            .contains("ruleset.json: warning[UNUSED_SEGMENT] /segments/forgotten"),
        "{text:#?}"
    );
    // Before remove_by, that warning goes away.
    let early = darklaunch(
        &dir,
        &["lint", "--json", "--now", "2026-01-31T23:00:00Z", "ruleset.json"],
    )
    .ok()
    .json();
    assert_eq!(early["warnings"], json!(3));

    // A compile error: exit 1, with code and JSON Pointer.
    dir.write(
        "bad.json",
        LINT_FIXTURE.replace("\"rollback\": true", "\"rollback\": false"),
    );
    let run = darklaunch(&dir, &["lint", "--json", "bad.json"]).fails(1);
    let finding = &run.json()["findings"][0];
    assert_eq!(finding["code"], json!("SHRINKING_EXPOSURE"));
    assert_eq!(finding["path"], json!("/flags/checkout/default/rollout/stages/1"));
    let run = darklaunch(&dir, &["lint", "bad.json"]).fails(1);
    assert!(
        run.stderr
            .contains("bad.json: error[SHRINKING_EXPOSURE] /flags/checkout"),
        "{run:#?}"
    );
}

#[test]
fn eval_of_plain_rulesets_needs_unsigned_and_reports_errors() {
    let dir = Scratch::new("eval");
    let example = example();
    let context = r#"{"targetingKey": "user-104"}"#;
    let run = darklaunch(
        &dir,
        &[
            "eval",
            "--keyring",
            "k.json",
            "--environment",
            "prod",
            &example,
            "--flag",
            "x",
            "--context",
            context,
        ],
    );
    assert!(run.fails(2).stderr.contains("--unsigned"));

    let eval = darklaunch(
        &dir,
        &[
            "eval",
            "--unsigned",
            &example,
            "--flag",
            "new-checkout",
            "--now",
            NOW,
            "--context",
            context,
        ],
    );
    let eval = eval.ok();
    assert!(eval.stderr.contains("UNSIGNED"), "{eval:#?}");
    let eval = eval.json();
    assert_eq!(eval["unsigned"], json!(true));
    assert_eq!(eval["snapshot"], Value::Null);
    assert_eq!(eval["variant"], json!("on"));

    let missing = darklaunch(
        &dir,
        &[
            "eval",
            "--unsigned",
            &example,
            "--flag",
            "nope",
            "--context",
            context,
        ],
    )
    .fails(1);
    assert_eq!(missing.json()["errorCode"], json!("FLAG_NOT_FOUND"));
    let no_key = darklaunch(
        &dir,
        &[
            "eval",
            "--unsigned",
            &example,
            "--flag",
            "new-checkout",
            "--context",
            "{}",
        ],
    )
    .fails(1);
    assert_eq!(no_key.json()["errorCode"], json!("TARGETING_KEY_MISSING"));

    // --context @FILE
    dir.write("ctx.json", r#"{"targetingKey": "u", "email": "bo@example.com"}"#);
    let staff = darklaunch(
        &dir,
        &[
            "eval",
            "--unsigned",
            &example,
            "--flag",
            "new-checkout",
            "--context",
            "@ctx.json",
        ],
    );
    assert_eq!(staff.ok().json()["reason"], json!("TARGETING_MATCH"));
}

#[test]
fn simulate_reads_ids_and_contexts() {
    let dir = Scratch::new("simulate");
    let example = example();
    dir.write(
        "ids.txt",
        "# staff get it at once, old apps never\n\
         {\"targetingKey\": \"s1\", \"email\": \"s1@example.com\"}\n\
         {\"targetingKey\": \"old\", \"appVersion\": \"4.1.0\"}\n\
         \n\
         user-104\n",
    );
    let result = darklaunch(
        &dir,
        &[
            "simulate",
            &example,
            "--flag",
            "new-checkout",
            "--ids",
            "ids.txt",
            "--json",
            "--at",
            "2026-11-30T00:00:00Z",
            "--at",
            NOW,
        ],
    )
    .ok()
    .json();
    assert_eq!(result["units"], json!(3));
    assert_eq!(result["timesFromStages"], json!(false));
    assert_eq!(
        result["times"][0]["counts"],
        json!({ "on": 1, "off": 2 }),
        "before launch: staff only"
    );
    assert_eq!(
        result["times"][1]["counts"],
        json!({ "on": 2, "off": 1 }),
        "user-104 joins at 5%"
    );
    assert_eq!(result["times"][1]["joined"], json!(1));

    let table = darklaunch(
        &dir,
        &[
            "simulate",
            &example,
            "--flag",
            "checkout-copy",
            "--users",
            "1000",
            "--at",
            NOW,
        ],
    )
    .ok();
    assert!(
        table.stdout.contains("control") && table.stdout.contains("urgent"),
        "{table:#?}"
    );
    let run = darklaunch(&dir, &["simulate", &example, "--flag", "nope"]).fails(1);
    assert!(
        run.stderr.contains("FLAG_NOT_FOUND") && run.stderr.contains("new-checkout"),
        "{run:#?}"
    );
    dir.write("bad-ids.txt", "{\"targetingKey\": \n");
    let run = darklaunch(
        &dir,
        &[
            "simulate",
            &example,
            "--flag",
            "new-checkout",
            "--ids",
            "bad-ids.txt",
        ],
    )
    .fails(1);
    assert!(
        run.stderr.contains("bad-ids.txt") && run.stderr.contains("line 1"),
        "{run:#?}"
    );
}

#[test]
fn diff_lists_added_removed_changed_and_fails_on_shrink() {
    let dir = Scratch::new("diff");
    let old = std::fs::read_to_string(example()).expect("example");
    let mut new: Value = serde_json::from_str(&old).expect("json");
    dir.write("old.json", &old);
    // A rollback to 1% on 4 December, a new flag, and checkout-copy removed.
    new["flags"]["new-checkout"]["default"]["rollout"]["stages"]
        .as_array_mut()
        .expect("stages")
        .insert(
            2,
            json!({ "at": "2026-12-04T09:00:00Z", "percent": 1, "rollback": true }),
        );
    new["flags"]
        .as_object_mut()
        .expect("flags")
        .remove("checkout-copy");
    new["flags"]["banner"] =
        json!({ "variants": { "on": true, "off": false }, "off": "off", "default": "on" });
    dir.write("new.json", new.to_string());

    let before = darklaunch(
        &dir,
        &[
            "diff",
            "old.json",
            "new.json",
            "--at",
            NOW,
            "--json",
            "--fail-on-shrink",
        ],
    )
    .ok()
    .json();
    assert_eq!(before["added"], json!(["banner"]));
    assert_eq!(before["removed"], json!(["checkout-copy"]));
    assert_eq!(before["changed"][0]["flag"], json!("new-checkout"));
    assert_eq!(
        before["changed"][0]["onToOff"],
        json!(0),
        "no effect before the rollback stage"
    );
    assert_eq!(before["changed"][0]["definitionChanged"], json!(true));

    let after = darklaunch(
        &dir,
        &[
            "diff",
            "old.json",
            "new.json",
            "--at",
            "2026-12-05T00:00:00Z",
            "--json",
            "--fail-on-shrink",
        ],
    )
    .fails(1)
    .json();
    let shrunk = after["changed"][0]["onToOff"].as_u64().unwrap_or_default();
    assert!((300..=500).contains(&shrunk), "5% → 1% of 10,000: {shrunk}");
    assert_eq!(after["shrinks"], json!(true));
    // Without --fail-on-shrink the same diff exits 0.
    darklaunch(
        &dir,
        &["diff", "old.json", "new.json", "--at", "2026-12-05T00:00:00Z"],
    )
    .ok();
    // Identical inputs: nothing changed.
    let same = darklaunch(
        &dir,
        &["diff", "old.json", "old.json", "--users", "100", "--json"],
    )
    .ok()
    .json();
    assert_eq!(same["changed"], json!([]));
    assert_eq!(same["unchanged"], json!(["new-checkout", "checkout-copy"]));
}

// ---------------------------------------------------------------------------------------
// Interop with Node's crypto and the OpenSSL command line

/// The DSSE PAE of an envelope, as the library computes it.
fn pae_of(envelope: &Value) -> Vec<u8> {
    darklaunch::snapshot::pae(
        envelope["payloadType"].as_str().expect("payloadType"),
        &payload_of(envelope),
    )
}

#[test]
fn interop_node_signature_verifies() {
    let dir = Scratch::new("node-signs");
    let ci = setup(&dir);
    let second = keygen(&dir, "second");
    let script = root()
        .join("examples/signing/sign-node.mjs")
        .display()
        .to_string();
    let example = example();
    let signed = run(
        &dir.0,
        "node",
        &[
            &script,
            "--key",
            "keys/ci.pem",
            "--key-id",
            "ci",
            "--environment",
            "prod",
            "--issued-at",
            ISSUED,
            "--expires",
            "30d",
            &example,
        ],
        &[],
    )
    .ok();
    dir.write("node.json", &signed.stdout);
    let verified = verify(&dir, "keyring.json", "node.json", &[]).ok().json();
    assert_eq!(verified["version"], json!(ISSUED_VERSION));
    assert_eq!(verified["keyIds"], json!(["ci"]));
    // The payload is the ruleset's own bytes after the inserted fields.
    let payload = String::from_utf8(payload_of(&envelope(&dir, "node.json"))).expect("utf-8");
    let ruleset = std::fs::read_to_string(&example).expect("example");
    assert!(
        payload.ends_with(ruleset.trim().trim_start_matches('{')),
        "ruleset bytes kept"
    );

    // Two keys for a threshold of 2.
    let both = run(
        &dir.0,
        "node",
        &[
            &script,
            "--key",
            "keys/ci.pem",
            "--key-id",
            "ci",
            "--key",
            "keys/second.pem",
            "--key-id",
            "second",
            "--environment",
            "prod",
            "--issued-at",
            ISSUED,
            &example,
        ],
        &[],
    )
    .ok();
    dir.write("node-both.json", &both.stdout);
    keyring(&dir, "two.json", &[("ci", &ci), ("second", &second)], 2);
    verify(&dir, "two.json", "node-both.json", &[]).ok();

    // Node refuses to add the signed fields twice.
    dir.write("signed-fields.json", ruleset.replacen('{', "{\"version\": 1,", 1));
    run(
        &dir.0,
        "node",
        &[
            &script,
            "--key",
            "keys/ci.pem",
            "--key-id",
            "ci",
            "--environment",
            "prod",
            "signed-fields.json",
        ],
        &[],
    )
    .fails(2);
}

#[test]
fn interop_openssl_signature_verifies() {
    let dir = Scratch::new("openssl-signs");
    setup(&dir);
    let example = example();
    let script = root()
        .join("examples/signing/sign-openssl.sh")
        .display()
        .to_string();
    let env = [("ISSUED_AT", ISSUED), ("EXPIRES", "2026-12-30T09:00:00Z")];
    let signed = run(
        &dir.0,
        "bash",
        &[&script, "keys/ci.pem", "ci", "prod", &example],
        &env,
    )
    .ok();
    dir.write("openssl.json", &signed.stdout);
    let verified = verify(&dir, "keyring.json", "openssl.json", &[]).ok().json();
    assert_eq!(verified["version"], json!(ISSUED_VERSION));
    assert_eq!(verified["expires"], json!("2026-12-30T09:00:00Z"));

    // Both recipes build the same payload, and Ed25519 is deterministic: same envelope.
    let script_node = root()
        .join("examples/signing/sign-node.mjs")
        .display()
        .to_string();
    let node = run(
        &dir.0,
        "node",
        &[
            &script_node,
            "--key",
            "keys/ci.pem",
            "--key-id",
            "ci",
            "--environment",
            "prod",
            "--issued-at",
            ISSUED,
            "--expires",
            "30d",
            &example,
        ],
        &[],
    )
    .ok();
    assert_eq!(
        node.stdout, signed.stdout,
        "the Node and OpenSSL recipes agree byte for byte"
    );

    // A bad key id is refused before signing.
    run(
        &dir.0,
        "bash",
        &[&script, "keys/ci.pem", "c i", "prod", &example],
        &env,
    )
    .fails(2);
}

#[test]
fn interop_cli_signature_verifies_with_node() {
    let dir = Scratch::new("node-verifies");
    let public = setup(&dir);
    sign(&dir, &example(), &["ci"], "snapshot.json").ok();
    // Node rebuilds the PAE itself and verifies with a public key made from the raw 32 bytes.
    const VERIFY: &str = r#"
        const fs = require('node:fs');
        const crypto = require('node:crypto');
        const [file, publicKey] = process.argv.slice(1);
        const envelope = JSON.parse(fs.readFileSync(file, 'utf8'));
        const payload = Buffer.from(envelope.payload, 'base64');
        const type = envelope.payloadType;
        const pae = Buffer.concat([
          Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${payload.length} `), payload]);
        const key = crypto.createPublicKey({ format: 'jwk', key: {
          kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey, 'base64').toString('base64url') } });
        const ok = envelope.signatures.every((s) => crypto.verify(null, pae, key, Buffer.from(s.sig, 'base64')));
        console.log(ok ? 'verified' : 'INVALID');
        process.exit(ok ? 0 : 1);
    "#;
    let ok = run(&dir.0, "node", &["-e", VERIFY, "snapshot.json", &public], &[]).ok();
    assert_eq!(ok.stdout.trim(), "verified");

    // Not vacuous: Node rejects a flipped payload bit.
    let mut tampered = envelope(&dir, "snapshot.json");
    let mut payload = payload_of(&tampered);
    payload[10] ^= 0x04;
    tampered["payload"] = json!(STANDARD.encode(&payload));
    dir.write("tampered.json", tampered.to_string());
    run(&dir.0, "node", &["-e", VERIFY, "tampered.json", &public], &[]).fails(1);
}

#[test]
fn interop_cli_signature_verifies_with_openssl() {
    let dir = Scratch::new("openssl-verifies");
    let public = setup(&dir);
    sign(&dir, &example(), &["ci"], "snapshot.json").ok();
    let envelope = envelope(&dir, "snapshot.json");
    dir.write("pae.bin", pae_of(&envelope));
    let sig = STANDARD
        .decode(envelope["signatures"][0]["sig"].as_str().expect("sig"))
        .expect("base64");
    dir.write("sig.bin", &sig);
    // SubjectPublicKeyInfo for Ed25519 (RFC 8410): a fixed 12-byte prefix and the raw key.
    let mut spki = vec![
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
    ];
    spki.extend(STANDARD.decode(&public).expect("base64"));
    dir.write(
        "public.pem",
        format!(
            "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
            STANDARD.encode(&spki)
        ),
    );
    let args = [
        "pkeyutl",
        "-verify",
        "-rawin",
        "-pubin",
        "-inkey",
        "public.pem",
        "-in",
        "pae.bin",
        "-sigfile",
        "sig.bin",
    ];
    let verified = run(&dir.0, "openssl", &args, &[]).ok();
    assert!(
        verified.stdout.contains("Signature Verified Successfully"),
        "{verified:#?}"
    );

    let mut bad = sig;
    bad[63] ^= 0x01;
    dir.write("sig.bin", &bad);
    let refused = run(&dir.0, "openssl", &args, &[]);
    assert_ne!(refused.code, 0, "{refused:#?}");
}

#[test]
fn interop_keys_from_openssl_and_node_sign() {
    let dir = Scratch::new("foreign-keys");
    std::fs::create_dir_all(dir.path("keys")).expect("keys dir");
    run(
        &dir.0,
        "openssl",
        &["genpkey", "-algorithm", "ed25519", "-out", "keys/openssl.pem"],
        &[],
    )
    .ok();
    const NODE_KEYGEN: &str = r#"
        const { generateKeyPairSync } = require('node:crypto');
        const { privateKey } = generateKeyPairSync('ed25519');
        process.stdout.write(privateKey.export({ type: 'pkcs8', format: 'pem' }));
    "#;
    let node_pem = run(&dir.0, "node", &["-e", NODE_KEYGEN], &[]).ok().stdout;
    dir.write("keys/node.pem", node_pem);

    let mut keys = Vec::new();
    for id in ["openssl", "node"] {
        // The keyring entry: the last 32 bytes of the DER public key.
        let der = Command::new("openssl")
            .args([
                "pkey",
                "-in",
                &format!("keys/{id}.pem"),
                "-pubout",
                "-outform",
                "DER",
            ])
            .current_dir(&dir.0)
            .output()
            .expect("openssl");
        assert!(der.status.success());
        keys.push((id, STANDARD.encode(&der.stdout[der.stdout.len() - 32..])));
    }
    let keys: Vec<(&str, &str)> = keys.iter().map(|(id, key)| (*id, key.as_str())).collect();
    keyring(&dir, "keyring.json", &keys, 2);
    sign(&dir, &example(), &["openssl", "node"], "snapshot.json").ok();
    let verified = verify(&dir, "keyring.json", "snapshot.json", &[]).ok().json();
    assert_eq!(verified["keyIds"], json!(["openssl", "node"]));
}

// ---------------------------------------------------------------------------------------
// docs/signing.md stays true

fn signing_doc() -> String {
    std::fs::read_to_string(root().join("docs/signing.md")).expect("docs/signing.md")
}

/// The first fenced block of `language` after `heading`.
fn fenced_block(doc: &str, heading: &str, language: &str) -> String {
    let section = doc
        .split(heading)
        .nth(1)
        .unwrap_or_else(|| panic!("no {heading}"));
    let fence = format!("```{language}\n");
    section
        .split(&fence)
        .nth(1)
        .and_then(|rest| rest.split("```\n").next())
        .unwrap_or_else(|| panic!("no {language} block after {heading}"))
        .to_string()
}

#[test]
fn signing_doc_recipes_are_the_tested_scripts() {
    let doc = signing_doc();
    for (heading, language, file) in [
        ("## Recipe: Node", "js", "examples/signing/sign-node.mjs"),
        ("## Recipe: OpenSSL", "bash", "examples/signing/sign-openssl.sh"),
    ] {
        let script = std::fs::read_to_string(root().join(file)).expect("script");
        assert_eq!(
            fenced_block(&doc, heading, language),
            script,
            "docs/signing.md shows {file} as it is"
        );
    }
}

#[test]
fn signing_doc_worked_example_is_exact() {
    use darklaunch::snapshot::{encode_base64, pae, verify, Keyring, Policy, PAYLOAD_TYPE};
    use ed25519_dalek::{Signer, SigningKey};

    let doc = signing_doc();
    // RFC 8032, test 1.
    let seed: [u8; 32] = [
        0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4, 0x92, 0xec, 0x2c, 0xc4, 0x44,
        0x49, 0xc5, 0x69, 0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60,
    ];
    let key = SigningKey::from_bytes(&seed);
    let mut der = vec![
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ];
    der.extend_from_slice(&seed);
    let public = encode_base64(key.verifying_key().as_bytes());
    let payload = fenced_block(&doc, "The payload (138 bytes", "json");
    let payload = payload.trim_end().as_bytes();
    assert_eq!(payload.len(), 138);
    let message = pae(PAYLOAD_TYPE, payload);
    assert!(message.starts_with(b"DSSEv1 43 application/vnd.darklaunch.snapshot.v1+json 138 {\""));
    let envelope = json!({
        "payload": encode_base64(payload),
        "payloadType": PAYLOAD_TYPE,
        "signatures": [{ "keyid": "example-key", "sig": encode_base64(&key.sign(&message).to_bytes()) }],
    })
    .to_string();
    for (what, value) in [
        ("the PEM", STANDARD.encode(&der)),
        ("the public key", public.clone()),
        ("the envelope", envelope.clone()),
    ] {
        assert!(doc.contains(&value), "docs/signing.md shows {what}: {value}");
    }

    let mut keyring = Keyring::new();
    keyring.add_base64("example-key", &public).expect("key");
    let now = darklaunch::parse_rfc3339_ms("2026-12-02T00:00:00Z").expect("time");
    verify(envelope.as_bytes(), &keyring, &Policy::new("prod", now)).expect("the worked example verifies");
}
