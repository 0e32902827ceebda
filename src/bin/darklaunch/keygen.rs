//! `darklaunch keygen --key-id ID --out DIR`: DIR/ID.pem (private, PKCS#8) and DIR/ID.pub
//! (base64 of the raw 32-byte public key).

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use darklaunch::snapshot::{encode_base64, Keyring};
use ed25519_dalek::SigningKey;
use serde_json::json;

use crate::args::KeygenArgs;
use crate::keys::{encode_pem, random_seed};
use crate::output::{print_json, Failure, OK};

pub fn run(args: &KeygenArgs) -> Result<u8, Failure> {
    let seed = random_seed()?;
    let public = SigningKey::from_bytes(&seed).verifying_key();
    // The keyring's own rules decide what a valid key id is (and refuse a weak key, which a
    // random seed never gives).
    Keyring::new()
        .add(&args.key_id, public.as_bytes())
        .map_err(|e| Failure::usage("--key-id", format!("{:?}: {}", args.key_id, e.detail())))?;
    let public_b64 = encode_base64(public.as_bytes());

    std::fs::create_dir_all(&args.out).map_err(|e| Failure::io(&args.out, &e))?;
    let pem_path = args.out.join(format!("{}.pem", args.key_id));
    let pub_path = args.out.join(format!("{}.pub", args.key_id));
    for path in [&pem_path, &pub_path] {
        if path.exists() {
            return Err(Failure::rejected(
                Some(path),
                "EXISTS",
                "--out",
                "refusing to overwrite an existing key file; choose another --key-id or --out",
            ));
        }
    }
    write_new(&pem_path, encode_pem(&seed).as_bytes(), true)?;
    write_new(&pub_path, format!("{public_b64}\n").as_bytes(), false)?;

    let keyring_entry = json!({ "keys": { &args.key_id: public_b64 }, "threshold": 1 });
    if args.json {
        print_json(&json!({
            "ok": true,
            "keyId": args.key_id,
            "privateKeyFile": pem_path.display().to_string(),
            "publicKeyFile": pub_path.display().to_string(),
            "publicKey": public_b64,
            "keyring": keyring_entry,
        }));
    } else {
        println!(
            "wrote {} (private: keep it secret, e.g. a CI secret)",
            pem_path.display()
        );
        println!("wrote {} (public)", pub_path.display());
        println!("keyring: {keyring_entry}");
    }
    Ok(OK)
}

/// Creates a file that must not exist yet; the private key is readable by its owner only.
fn write_new(path: &Path, contents: &[u8], private: bool) -> Result<(), Failure> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut file = options.open(path).map_err(|e| Failure::io(path, &e))?;
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .map_err(|e| Failure::io(path, &e))
}
