//! Checker speed: the catalogue and type checks on already-parsed conditions, and parse +
//! check together, per condition.
//!
//! Run with `cargo bench --bench check`. `docs/performance.md` records the numbers.

use std::fs;
use std::hint::black_box;
use std::path::Path;

use azabac::catalog::Catalog;
use azabac::catalog::find_builtin_role;
use azabac::check::Checker;
use criterion::{Criterion, criterion_group, criterion_main};

fn read(relative: &str) -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)).unwrap_or_default()
}

fn bench_check(c: &mut Criterion) {
    let catalog = Catalog::builtin();
    let checker = Checker::new(catalog);
    let mut group = c.benchmark_group("check");
    for (name, path) in [
        // The target: under 5 µs.
        (
            "azure-ai-account-owner",
            "corpus/conditions/roles/azure-ai-account-owner.cond",
        ),
        // Twelve targeted actions and a principal attribute.
        (
            "csa-scale-full",
            "corpus/conditions/docs/csa-scale-full.cond",
        ),
    ] {
        let text = read(path);
        let parsed = azabac::syntax::parse(&text);
        let Some(condition) = parsed.valid_condition() else {
            continue;
        };
        group.bench_function(format!("{name}/check"), |b| {
            b.iter(|| black_box(checker.check(black_box(condition), &text)))
        });
        group.bench_function(format!("{name}/parse+check"), |b| {
            b.iter(|| black_box(checker.check_source(black_box(&text))))
        });
    }
    let text = read("corpus/conditions/docs/blob-read-tag.cond");
    if let (Some(role), Some(condition)) = (
        find_builtin_role("Storage Blob Data Owner"),
        azabac::syntax::parse(&text).valid_condition(),
    ) {
        let with_role = Checker::new(catalog).with_role(role);
        group.bench_function("blob-read-tag/check-with-role", |b| {
            b.iter(|| black_box(with_role.check(black_box(condition), &text)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_check);
criterion_main!(benches);
