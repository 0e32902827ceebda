//! `darklaunch verify`: would a host accept this snapshot? Exit 0 yes, 1 no (with the
//! library's error code), 2 usage.

use darklaunch::snapshot::{verify, Accepted, Policy, Update};
use serde_json::json;

use crate::args::VerifyArgs;
use crate::input::read_keyring;
use crate::output::{hex, parse_hex32, print_json, read, Failure, OK};
use crate::time::{format_rfc3339, time_or_now};

pub fn run(args: &VerifyArgs) -> Result<u8, Failure> {
    let now_ms = time_or_now("--now", args.now.as_deref())?;
    let last_digest = match &args.last_digest {
        Some(text) => Some(
            parse_hex32(text).ok_or_else(|| Failure::usage("--last-digest", "64 hex digits (a SHA-256)"))?,
        ),
        None => None,
    };
    let keyring = read_keyring(&args.keyring)?;
    let bytes = read(&args.snapshot)?;
    let mut policy = Policy::new(&args.environment, now_ms);
    policy.allow_stale = args.allow_stale;
    // Without a digest, no payload can match the all-zero one: an equal version then comes
    // back as VERSION_CONFLICT, reported below as NOT_NEWER.
    policy.last = args.last_version.map(|version| Accepted {
        version,
        digest: last_digest.unwrap_or([0; 32]),
    });

    let snapshot = match verify(&bytes, &keyring, &policy) {
        Ok(Update::Accepted(snapshot)) => snapshot,
        Ok(Update::Unchanged) => {
            let version = args.last_version.unwrap_or_default();
            if args.json {
                print_json(&json!({ "ok": true, "unchanged": true, "version": version }));
            } else {
                println!(
                    "OK {}: unchanged (version {version}, the snapshot already accepted)",
                    args.snapshot.display()
                );
            }
            return Ok(OK);
        }
        Err(e) if e.kind() == darklaunch::ErrorKind::VersionConflict && last_digest.is_none() => {
            return Err(Failure::rejected(
                Some(&args.snapshot),
                "NOT_NEWER",
                "/version",
                format!(
                    "version {} is not newer than --last-version; to accept the identical snapshot \
                     again, also pass --last-digest",
                    args.last_version.unwrap_or_default()
                ),
            ));
        }
        Err(e) => return Err(Failure::library(&args.snapshot, &e)),
    };

    let info = snapshot.info();
    let stale = snapshot.is_expired(now_ms);
    let key_ids: Vec<&str> = info.key_ids.iter().map(|id| &**id).collect();
    if args.json {
        print_json(&json!({
            "ok": true,
            "file": args.snapshot.display().to_string(),
            "version": info.version,
            "environment": &*info.environment,
            "issuedAt": format_rfc3339(info.issued_at_ms),
            "expires": format_rfc3339(info.expires_ms),
            "stale": stale,
            "keyIds": key_ids,
            "threshold": keyring.threshold(),
            "flags": snapshot.ruleset().len(),
            "digest": hex(&info.digest),
        }));
    } else {
        println!("OK {}", args.snapshot.display());
        println!("  version      {}", info.version);
        println!("  environment  {}", info.environment);
        println!("  issued at    {}", format_rfc3339(info.issued_at_ms));
        println!(
            "  expires      {}{}",
            format_rfc3339(info.expires_ms),
            if stale {
                "  (EXPIRED: accepted because of --allow-stale; served as STALE)"
            } else {
                ""
            }
        );
        println!(
            "  signed by    {} (threshold {})",
            key_ids.join(", "),
            keyring.threshold()
        );
        println!("  flags        {}", snapshot.ruleset().len());
        println!("  digest       {}", hex(&info.digest));
    }
    Ok(OK)
}
