//! Reading and checking conditions where users keep them (issue 20): a repository of 1,000
//! Terraform and Bicep files holding 2,000 conditions, read by the host readers (HCL with
//! heredocs and locals; Bicep with escapes and interpolations) and checked.
//!
//! Run with `cargo bench --bench iac`. `docs/performance.md` reports the figure; the target is
//! under one second on one core.

use std::hint::black_box;

use azabac::catalog::Catalog;
use azabac::check::Checker;
use azabac::input::bicep;
use azabac::input::terraform::{ModuleFile, module};
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
  condition            = "((!(ActionMatches{{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'}} AND NOT SubOperationMatches{{'Blob.List'}})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \"logs-{n}\"))"
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
    let terraform_files: Vec<String> = (0..500).map(terraform).collect();
    let bicep_files: Vec<String> = (0..500).map(bicep).collect();
    let checker = Checker::new(Catalog::builtin());
    let mut group = c.benchmark_group("iac");
    group.sample_size(10);
    group.bench_function("1000-files-2000-conditions/read-and-check", |b| {
        b.iter(|| {
            let mut checked = 0usize;
            for text in &terraform_files {
                let found =
                    module(&[ModuleFile { text, wanted: true }], &|_| None).unwrap_or_default();
                for (_, found) in found {
                    checked += black_box(checker.check_source(&found.embedded.text)).len() + 1;
                }
            }
            for text in &bicep_files {
                for found in bicep::conditions(text).unwrap_or_default() {
                    checked += black_box(checker.check_source(&found.embedded.text)).len() + 1;
                }
            }
            assert!(checked >= 2000);
            checked
        });
    });
    group.finish();
}

criterion_group!(benches, bench_repository);
criterion_main!(benches);
