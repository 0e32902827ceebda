//! The command line: every subcommand, flag and help text. These names are an interface CI
//! pipelines script against (issue 3, item 4): change them only with a deprecation.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Signed feature-flag snapshots: generate keys, sign, verify, lint, evaluate, simulate and diff.
///
/// Exit codes: 0 ok; 1 the input was checked and is invalid or rejected (or, with the flags
/// that ask for it, has warnings / shrinks exposure); 2 usage error: a bad or missing flag,
/// an unreadable input or an unwritable output.
#[derive(Debug, Parser)]
#[command(name = "darklaunch", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Keygen(KeygenArgs),
    Sign(SignArgs),
    Verify(VerifyArgs),
    Lint(LintArgs),
    Eval(EvalArgs),
    Simulate(SimulateArgs),
    Diff(DiffArgs),
}

impl Command {
    /// The subcommand's name, for messages.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Keygen(_) => "keygen",
            Command::Sign(_) => "sign",
            Command::Verify(_) => "verify",
            Command::Lint(_) => "lint",
            Command::Eval(_) => "eval",
            Command::Simulate(_) => "simulate",
            Command::Diff(_) => "diff",
        }
    }

    /// Whether errors are reported as JSON on stdout (as well as text on stderr).
    pub fn json(&self) -> bool {
        match self {
            Command::Keygen(a) => a.json,
            Command::Sign(_) => false,
            Command::Verify(a) => a.json,
            Command::Lint(a) => a.json,
            // eval always prints JSON.
            Command::Eval(_) => true,
            Command::Simulate(a) => a.json,
            Command::Diff(a) => a.json,
        }
    }
}

/// Generate an Ed25519 signing key: DIR/ID.pem (PKCS#8, usable by openssl and Node) and
/// DIR/ID.pub (base64 of the raw 32-byte public key, the keyring format).
///
/// The private key file is created with mode 0600 and never overwritten. Store it as a CI
/// secret; only the .pub goes into keyrings (docs/keys.md).
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Key id: 1-128 bytes of A-Z a-z 0-9 . _ - : (also the file names).
    #[arg(long, value_name = "ID")]
    pub key_id: String,
    /// Directory to write ID.pem and ID.pub into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Print the result (paths, public key, a keyring entry) as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Sign a ruleset into a snapshot: a DSSE envelope with Ed25519 signatures.
///
/// The ruleset is compiled first; an invalid one is refused (exit 1). The payload is the
/// ruleset's JSON object with `version`, `issued_at`, `expires` and `environment` added after
/// `schema` (existing ones are replaced). The default version is the issue time in Unix
/// seconds: strictly increasing across publishes at least one second apart.
///
/// Threshold signing: give --key/--key-id several times (each --key pairs with the --key-id
/// at the same position), or have each signer add their signature to the envelope with
/// --cosign SNAPSHOT.json.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// The ruleset to sign (not with --cosign).
    #[arg(value_name = "RULESET.json", required_unless_present = "cosign")]
    pub ruleset: Option<PathBuf>,
    /// Private key (PKCS#8 PEM, from `darklaunch keygen` or `openssl genpkey -algorithm
    /// ed25519`). Repeat for several signatures.
    #[arg(long, value_name = "ID.pem", required = true)]
    pub key: Vec<PathBuf>,
    /// Key id written next to each signature (a hint for verifiers). One per --key, in order.
    #[arg(long, value_name = "ID", required = true)]
    pub key_id: Vec<String>,
    /// The environment the snapshot is for (hosts refuse other environments).
    #[arg(long, value_name = "ENV", required_unless_present = "cosign")]
    pub environment: Option<String>,
    /// Publish counter (u64), strictly greater than the last published one. Default: the
    /// issue time in Unix seconds.
    #[arg(long, value_name = "N")]
    pub version: Option<u64>,
    /// When the snapshot stops being fresh: an RFC 3339 time, or a duration after the issue
    /// time such as 7d, 12h, 30m, 90s, 2w.
    #[arg(long, value_name = "RFC3339|DURATION", default_value = "7d")]
    pub expires: String,
    /// The issue time (RFC 3339). Default: the system clock. For reproducible builds and tests.
    #[arg(long, value_name = "RFC3339")]
    pub issued_at: Option<String>,
    /// Add signatures to this existing snapshot instead of signing a ruleset (same payload).
    #[arg(long, value_name = "SNAPSHOT.json", conflicts_with_all = ["ruleset", "environment", "version", "issued_at", "expires"])]
    pub cosign: Option<PathBuf>,
    /// Write the envelope here instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Verify a snapshot against a keyring and a host policy; exit 0 when a host would accept it.
///
/// Checks, in order: envelope size and shape, payloadType, Ed25519 signatures (strict) from
/// distinct trusted keys up to the keyring's threshold, then the payload: schema, environment,
/// issued_at not in the future (5 min skew), expires not passed, version newer than
/// --last-version, and the ruleset compile.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The snapshot (DSSE envelope) to verify.
    #[arg(value_name = "SNAPSHOT.json")]
    pub snapshot: PathBuf,
    /// Keyring file: {"keys": {"ID": "base64 public key", ...}, "threshold": 1}.
    #[arg(long, value_name = "KEYRING.json")]
    pub keyring: PathBuf,
    /// The environment this host serves; a snapshot for another one is refused. Required: the
    /// environment named inside the snapshot is never trusted as the expectation.
    #[arg(long, value_name = "ENV")]
    pub environment: String,
    /// The host's clock (RFC 3339). Default: the system clock.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// The version this host accepted last: the snapshot must be newer (exit 1 with ROLLBACK
    /// when older, NOT_NEWER when equal).
    #[arg(long, value_name = "N")]
    pub last_version: Option<u64>,
    /// The digest (hex, as printed by verify) of the last accepted snapshot: with
    /// --last-version, the identical snapshot is reported as unchanged (exit 0) and another
    /// one with the same version as VERSION_CONFLICT.
    #[arg(long, value_name = "HEX", requires = "last_version")]
    pub last_digest: Option<String>,
    /// Accept a snapshot past its expires (hosts may serve it with reason STALE).
    #[arg(long)]
    pub allow_stale: bool,
    /// Print the result as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Check a ruleset: compile errors (exit 1) and warnings (exit 0 unless --deny-warnings).
///
/// Warnings: ROLLBACK_STAGE (a stage lowers exposure on purpose), UNUSED_SEGMENT,
/// REMOVE_BY_PASSED (a temporary flag past its remove_by date), MISSING_OWNER. Info (never
/// fails): STATIC_FLAG (no rules or prerequisites and a fixed default: everyone gets the same
/// value).
#[derive(Debug, Args)]
pub struct LintArgs {
    /// The ruleset to check.
    #[arg(value_name = "RULESET.json")]
    pub ruleset: PathBuf,
    /// Exit 1 when there are warnings.
    #[arg(long)]
    pub deny_warnings: bool,
    /// The date remove_by is compared with (RFC 3339). Default: the system clock.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Print findings as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Evaluate one flag for one context and print the full evaluation as JSON.
///
/// Output: value, variant, reason, errorCode, rule, ruleId, stage, bucket (position as a
/// decimal string, exposure percent, inside), failedPrerequisite, metadata and the snapshot's
/// version. Exit 1 when the evaluation is an ERROR (e.g. FLAG_NOT_FOUND).
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The snapshot (or, with --unsigned, a plain ruleset).
    #[arg(value_name = "SNAPSHOT.json")]
    pub snapshot: PathBuf,
    /// The flag key.
    #[arg(long, value_name = "KEY")]
    pub flag: String,
    /// The evaluation context as a JSON object, or @FILE to read it from a file.
    #[arg(long, value_name = "JSON")]
    pub context: String,
    /// Keyring file (required for a snapshot).
    #[arg(long, value_name = "KEYRING.json", required_unless_present = "unsigned")]
    pub keyring: Option<PathBuf>,
    /// The environment this host serves (required for a snapshot).
    #[arg(long, value_name = "ENV", required_unless_present = "unsigned")]
    pub environment: Option<String>,
    /// The evaluation time and the clock for verification (RFC 3339). Default: the system clock.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Accept a snapshot past its expires; values are then reported with reason STALE.
    #[arg(long)]
    pub allow_stale: bool,
    /// Evaluate a plain, unsigned ruleset (local debugging; the output says "unsigned": true).
    #[arg(long, conflicts_with_all = ["keyring", "environment", "allow_stale"])]
    pub unsigned: bool,
}

/// Where snapshots come from, for commands that also read plain rulesets.
#[derive(Debug, Args)]
pub struct TrustArgs {
    /// Keyring file, to verify signed snapshots (plain rulesets need none).
    #[arg(long, value_name = "KEYRING.json")]
    pub keyring: Option<PathBuf>,
    /// The environment signed snapshots must be for.
    #[arg(long, value_name = "ENV")]
    pub environment: Option<String>,
    /// The clock for verifying snapshots (RFC 3339). Default: the system clock.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Accept snapshots past their expires.
    #[arg(long)]
    pub allow_stale: bool,
}

/// The population to evaluate.
#[derive(Debug, Args)]
pub struct PopulationArgs {
    /// Evaluate N synthetic users: targeting keys user-0 .. user-(N-1), no other attributes.
    #[arg(long, value_name = "N", default_value_t = 10_000, conflicts_with = "ids")]
    pub users: usize,
    /// Evaluate the units in FILE instead: one per line, either a targeting key or a JSON
    /// context object ({"targetingKey": ..., ...}). Blank lines and lines starting with #
    /// are skipped.
    #[arg(long, value_name = "FILE")]
    pub ids: Option<PathBuf>,
}

/// Share of a population per variant of one flag, at each given time.
///
/// Without --at: at each stage start of the flag's staged rollouts, or now if it has none.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// A signed snapshot (needs --keyring and --environment) or a plain ruleset.
    #[arg(value_name = "SNAPSHOT_OR_RULESET")]
    pub input: PathBuf,
    /// The flag key.
    #[arg(long, value_name = "KEY")]
    pub flag: String,
    #[command(flatten)]
    pub population: PopulationArgs,
    /// An evaluation time (RFC 3339); repeat for several.
    #[arg(long, value_name = "RFC3339")]
    pub at: Vec<String>,
    #[command(flatten)]
    pub trust: TrustArgs,
    /// Print the result as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Which flags and which users change between two snapshots or rulesets.
///
/// Per flag present in both: how many units go on→off (a variant other than the flag's `off`
/// variant in OLD, the `off` variant in NEW), off→on, or change variant otherwise. With
/// --fail-on-shrink, exit 1 when any unit goes on→off. Removed flags are listed, not counted
/// as shrinking.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The published snapshot or ruleset.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The candidate snapshot or ruleset.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    #[command(flatten)]
    pub population: PopulationArgs,
    /// The evaluation time (RFC 3339). Default: the system clock.
    #[arg(long, value_name = "RFC3339")]
    pub at: Option<String>,
    /// Exit 1 when any unit goes from a non-off variant to the off variant.
    #[arg(long)]
    pub fail_on_shrink: bool,
    #[command(flatten)]
    pub trust: TrustArgs,
    /// Print the result as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}
