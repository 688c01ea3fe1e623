//! RBAC engine speed on a synthetic tenant (`benches/support/tenant.rs`): 100,000 role
//! assignments over 1,000 subscriptions, nested groups, conditions, deny assignments.
//!
//! - `rbac/load`: read the tenant's files and build the `World` (index, compile conditions),
//!   the assignments read from their text as `azabac decide` reads them
//!   (`WorldBuilder::assignments_text`).
//! - `rbac/load-value`: the same with the assignments parsed into a `serde_json::Value` first
//!   (`WorldBuilder::assignments`), as a library user holding a value does.
//! - `rbac/decide/1-thread` and `rbac/decide/N-threads`: decide 10,000 prepared requests, each
//!   decision consumed on the thread that made it (as `azabac decide --requests` renders each
//!   one there); criterion reports decisions per second, so the two show how throughput
//!   scales.
//! - Before those, the distribution of single-decision latency over the 10,000 requests
//!   (median, p90, p99, max), measured here with `Instant` because criterion reports one
//!   figure per benchmark, not per request.
//!
//! Run with `cargo bench --bench rbac`. `docs/performance.md` records the numbers.

#[path = "support/tenant.rs"]
mod tenant;

use std::hint::black_box;
use std::num::NonZeroUsize;
use std::time::{Duration, Instant};

use azabac::catalog::Catalog;
use azabac::rbac::{AccessRequest, World};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;
use serde_json::Value;

/// The instant every decision here is made at: 2026-12-01T00:00:00Z, in 100 ns ticks.
const NOW: azabac::eval::Ticks = azabac::eval::Ticks(17_960_832_000_000_000);

fn load(tenant: &tenant::Tenant, catalog: &Catalog, through_value: bool) -> Option<World> {
    let deny: Value = serde_json::from_str(&tenant.deny_assignments).ok()?;
    let hierarchy: Value = serde_json::from_str(&tenant.hierarchy).ok()?;
    let builder = if through_value {
        let assignments: Value = serde_json::from_str(&tenant.assignments).ok()?;
        World::builder().assignments(&assignments)
    } else {
        World::builder().assignments_text(&tenant.assignments)
    };
    builder
        .ok()?
        .deny_assignments(&deny)
        .ok()?
        .hierarchy(&hierarchy)
        .ok()?
        .build(catalog)
        .ok()
}

/// Latency of each request on its own: the mean of a few runs, then percentiles over requests.
fn latency_distribution(world: &World, requests: &[AccessRequest]) {
    const RUNS: u32 = 16;
    let mut times: Vec<Duration> = requests
        .iter()
        .map(|access| {
            let start = Instant::now();
            for _ in 0..RUNS {
                black_box(world.decide(black_box(access), NOW, false));
            }
            start.elapsed() / RUNS
        })
        .collect();
    times.sort_unstable();
    let at = |q: f64| {
        let index = ((times.len() as f64 - 1.0) * q).round() as usize;
        times.get(index).copied().unwrap_or_default()
    };
    println!(
        "rbac/latency: median {:?}, p90 {:?}, p99 {:?}, max {:?} over {} requests",
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0),
        times.len()
    );
}

fn bench_rbac(c: &mut Criterion) {
    let catalog = Catalog::builtin();
    let tenant = tenant::generate(&tenant::FULL);
    let megabytes = tenant.assignments.len() as f64 / 1e6;
    let Some(world) = load(&tenant, catalog, false) else {
        eprintln!("the synthetic tenant did not load");
        return;
    };
    let requests: Vec<AccessRequest> = tenant
        .requests
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .filter_map(|value| AccessRequest::from_value(&value, catalog).ok())
        .collect();
    let one = NonZeroUsize::MIN;
    let all = std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN);
    let decisions = world.decide_all(&requests, NOW, one);
    let allowed = decisions.iter().filter(|d| d.allowed()).count();
    let candidates: usize = decisions.iter().map(|d| d.candidates.len()).sum();
    let with_conditions = decisions
        .iter()
        .filter(|d| {
            d.candidates
                .iter()
                .any(|c| c.condition.is_some() || c.role_condition.is_some())
        })
        .count();
    let via_groups = decisions
        .iter()
        .filter(|d| d.candidates.iter().any(|c| c.via_group.is_some()))
        .count();
    println!(
        "tenant: {} assignments ({megabytes:.1} MB of JSON), {} requests: {allowed} allowed, {} denied, {:.1} candidate assignments per request, {with_conditions} evaluating conditions, {via_groups} through groups",
        world.assignments().len(),
        requests.len(),
        requests.len() - allowed,
        candidates as f64 / requests.len().max(1) as f64
    );
    latency_distribution(&world, &requests);

    let mut group = c.benchmark_group("rbac");
    group.sample_size(10);
    group.bench_function("load", |b| {
        b.iter(|| load(black_box(&tenant), catalog, false))
    });
    group.bench_function("load-value", |b| {
        b.iter(|| load(black_box(&tenant), catalog, true))
    });
    group.throughput(Throughput::Elements(requests.len() as u64));
    // Each decision is consumed on the thread that made it, as `decide --requests` does.
    let decide = |threads: NonZeroUsize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.get())
            .build()
            .ok()?;
        Some(pool.install(|| {
            black_box(&requests)
                .par_iter()
                .map(|access| world.decide(access, NOW, false).allowed())
                .collect::<Vec<bool>>()
        }))
    };
    group.bench_function("decide/1-thread", |b| b.iter(|| decide(one)));
    if all.get() > 1 {
        group.bench_function(format!("decide/{all}-threads"), |b| b.iter(|| decide(all)));
    }
    group.finish();
}

criterion_group!(benches, bench_rbac);
criterion_main!(benches);
