//! Front-end speed: lexing + parsing, over the whole corpus and over typical conditions.
//!
//! Run with `cargo bench --bench parse`. `docs/performance.md` records the numbers.

use std::fs;
use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/conditions");
    let mut texts = Vec::new();
    for folder in ["docs", "roles", "cases"] {
        let mut paths: Vec<_> = fs::read_dir(root.join(folder))
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path())
            .collect();
        paths.sort();
        texts.extend(
            paths
                .iter()
                .filter_map(|path| fs::read_to_string(path).ok()),
        );
    }
    texts
}

fn bench_parse(c: &mut Criterion) {
    let texts = corpus();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(u64::try_from(bytes).unwrap_or(u64::MAX)));
    group.bench_function("corpus", |b| {
        b.iter(|| {
            for text in &texts {
                black_box(azabac::syntax::parse(black_box(text)));
            }
        });
    });
    group.finish();

    // A typical delegation condition: the Azure AI Account Owner role's, 423 bytes.
    let typical = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("corpus/conditions/roles/azure-ai-account-owner.cond"),
    )
    .unwrap_or_default();
    let typical = typical.as_str();
    let mut group = c.benchmark_group("typical");
    group.throughput(Throughput::Bytes(
        u64::try_from(typical.len()).unwrap_or(u64::MAX),
    ));
    group.bench_function("parse-500-bytes", |b| {
        b.iter(|| black_box(azabac::syntax::parse(black_box(typical))))
    });
    group.bench_function("format-500-bytes", |b| {
        b.iter(|| black_box(azabac::syntax::format(black_box(typical))))
    });
    group.finish();
}

criterion_group!(benches, bench_parse);
criterion_main!(benches);
