//! Reading and checking conditions where users keep them (issues 20 and 30): a repository of
//! 1,000 Terraform and Bicep files holding 2,000 valid conditions, held in memory, read through
//! the one entry point (`input::read`: HCL with heredocs and locals, each module in its own
//! folder; Bicep with escapes and interpolations) and checked.
//!
//! Run with `cargo bench --bench iac`. `docs/performance.md` reports the figure; the target is
//! under one second on one core.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::PathBuf;

use azabac::catalog::Catalog;
use azabac::check::Checker;
use azabac::diagnostic::Severity;
use azabac::input::{Item, read};
use criterion::{Criterion, criterion_group, criterion_main};

/// A Terraform module file with two role assignments: a heredoc with a local, a quoted string.
fn terraform(n: usize) -> String {
    format!(
        r#"locals {{
  allowed_{n} = "53ca6127-db72-4b80-b1b0-d745d6d5456d"
}}

resource "azurerm_role_assignment" "delegate_{n}" {{
  scope                = azurerm_resource_group.rg.id
  role_definition_name = "Role Based Access Control Administrator"
  principal_id         = var.team
  principal_type       = "Group"
  condition_version    = "2.0"
  condition            = <<-EOT
    (
     (
      !(ActionMatches{{'Microsoft.Authorization/roleAssignments/write'}})
     )
     OR
     (
      @Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {{${{local.allowed_{n}}}}}
     )
    )
  EOT
}}

resource "azurerm_role_assignment" "reader_{n}" {{
  scope                = azurerm_storage_account.logs.id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = var.reader
  principal_type       = "ServicePrincipal"
  condition            = "((!(ActionMatches{{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'}} AND NOT SubOperationMatches{{'Blob.List'}})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs-{n}'))"
}}
"#
    )
}

/// A Bicep file with two role assignments: escaped quotes and a `var` interpolated.
fn bicep(n: usize) -> String {
    format!(
        r#"param readerId string
var container = 'logs-{n}'

resource reader{n} 'Microsoft.Authorization/roleAssignments@2022-04-01' = {{
  name: guid(resourceGroup().id, readerId, 'reader')
  properties: {{
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
    principalId: readerId
    principalType: 'ServicePrincipal'
    condition: '((!(ActionMatches{{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read\'}} AND NOT SubOperationMatches{{\'Blob.List\'}})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'${{container}}\'))'
  }}
}}

resource delegate{n} 'Microsoft.Authorization/roleAssignments@2022-04-01' = {{
  name: guid(resourceGroup().id, readerId, 'delegate')
  properties: {{
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168')
    principalId: readerId
    principalType: 'Group'
    condition: '((!(ActionMatches{{\'Microsoft.Authorization/roleAssignments/write\'}})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {{53ca6127-db72-4b80-b1b0-d745d6d5456d}}))'
  }}
}}
"#
    )
}

fn bench_repository(c: &mut Criterion) {
    let mut files: BTreeMap<PathBuf, String> = BTreeMap::new();
    for n in 0..500 {
        files.insert(PathBuf::from(format!("tf/{n:03}/main.tf")), terraform(n));
        files.insert(PathBuf::from(format!("bicep/{n:03}.bicep")), bicep(n));
    }
    let paths: Vec<PathBuf> = files.keys().cloned().collect();
    let checker = Checker::new(Catalog::builtin());
    let mut group = c.benchmark_group("iac");
    group.sample_size(10);
    group.bench_function("1000-files-2000-conditions/read-and-check", |b| {
        b.iter(|| {
            let (mut conditions, mut errors) = (0usize, 0usize);
            for item in read(&paths, &files).items {
                let Item::Found(located) = item else {
                    errors += 1;
                    continue;
                };
                let found = black_box(checker.check_source(&located.found.embedded.text));
                conditions += 1;
                errors += found
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
            }
            // Every file read, every condition valid: the bench times the path users' files
            // take.
            assert_eq!((conditions, errors), (2000, 0));
            conditions
        });
    });
    group.finish();
}

criterion_group!(benches, bench_repository);
criterion_main!(benches);
