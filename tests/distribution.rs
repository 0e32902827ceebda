//! Statistical checks of bucketing over 100,000 ids per salt: the share inside at 0.01%, 1%,
//! 5% and 30%, and the uniformity of positions (χ²).
//!
//! The ids and salts are fixed, so every check is deterministic. A single share sits outside
//! 3σ one time in 370 even for a perfect hash, so asking that of each of dozens of (salt,
//! percent) pairs would reject a perfect hash; instead each pair must be within 3σ *on
//! average*: the standardised errors z must look standard normal (mean of z² near 1, no |z|
//! over 4), and the worst of them is printed.

use darklaunch::bucket::{is_inside, percent_to_units, position};

const IDS: usize = 100_000;
const SALTS: usize = 12;
const PERCENTS: [f64; 4] = [0.01, 1.0, 5.0, 30.0];

fn positions(salt: &str) -> Vec<u64> {
    (0..IDS)
        .map(|i| position(salt.as_bytes(), format!("user-{i}").as_bytes()).expect("small input"))
        .collect()
}

#[test]
fn shares_are_within_noise_of_the_target() {
    let mut zs = Vec::new();
    for s in 0..SALTS {
        let salt = format!("salt-{s}");
        let positions = positions(&salt);
        for percent in PERCENTS {
            let units = percent_to_units(percent).expect("in range");
            let inside = positions.iter().filter(|p| is_inside(**p, units)).count() as f64;
            let p = percent / 100.0;
            let z = (inside - p * IDS as f64) / (IDS as f64 * p * (1.0 - p)).sqrt();
            assert!(
                z.abs() < 4.0,
                "salt {salt:?} at {percent}%: {inside} inside (z = {z:.2})"
            );
            zs.push(z);
        }
    }
    let mean_square = zs.iter().map(|z| z * z).sum::<f64>() / zs.len() as f64;
    let worst = zs.iter().fold(0.0f64, |m, z| m.max(z.abs()));
    println!(
        "{} shares: mean z² = {mean_square:.3}, worst |z| = {worst:.2}",
        zs.len()
    );
    // For 48 standard normal z, mean z² has standard deviation sqrt(2/48) ≈ 0.2.
    assert!((0.4..=1.6).contains(&mean_square), "mean z² = {mean_square}");
}

#[test]
fn positions_are_uniform_by_chi_squared() {
    const BINS: usize = 100;
    // χ² critical value for 99 degrees of freedom at p = 0.001.
    const CRITICAL: f64 = 148.23;
    for salt in ["new-checkout", "checkout-copy"] {
        let mut counts = [0u32; BINS];
        for p in positions(salt) {
            let bin = ((u128::from(p) * BINS as u128) >> 64) as usize;
            counts[bin] += 1;
        }
        let expected = IDS as f64 / BINS as f64;
        let chi2: f64 = counts
            .iter()
            .map(|c| (f64::from(*c) - expected).powi(2) / expected)
            .sum();
        assert!(chi2 < CRITICAL, "salt {salt:?}: χ² = {chi2}");
    }
}
