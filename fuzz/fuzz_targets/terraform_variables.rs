//! Any bytes as a Terraform module's variable files (issue 31): `terraform.tfvars` and
//! `terraform.tfvars.json` beside an Azure Verified Module's role assignments, and a lone
//! `prod.tfvars` read by the AVM shape, through `input::read`: conditions or an error of the
//! file, never a panic, always an end. Seeds: the variable files of `corpus/iac/terraform/`.
#![no_main]

use std::io;
use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;

/// The module the variable files give values to: the AVM resource module's shape, its type's
/// `optional()` attributes included.
const MODULE: &str = r#"
variable "role_assignments" {
  type = map(object({
    role_definition_id_or_name = string
    principal_id               = string
    condition                  = optional(string, null)
    condition_version          = optional(string, "2.0")
    principal_type             = optional(string)
  }))
  default  = {}
  nullable = false
}
variable "condition" {
  type    = string
  default = null
}
resource "azurerm_role_assignment" "this" {
  for_each             = var.role_assignments
  scope                = "/subscriptions/x"
  role_definition_name = strcontains(lower(each.value.role_definition_id_or_name), "/providers/") ? null : each.value.role_definition_id_or_name
  principal_id         = each.value.principal_id
  principal_type       = each.value.principal_type
  condition            = each.value.condition
  condition_version    = each.value.condition_version
}
resource "azurerm_role_assignment" "one" {
  scope                = "/subscriptions/x"
  role_definition_name = "Reader"
  principal_id         = "p"
  condition            = var.condition
}
"#;

/// `main.tf` is the module; every variable file holds the fuzzer's bytes.
struct Module<'d>(&'d [u8]);

impl azabac::input::Files for Module<'_> {
    fn read(&self, path: &Path, limit: usize) -> io::Result<Vec<u8>> {
        if path.ends_with("main.tf") {
            return Ok(MODULE.as_bytes().to_vec());
        }
        Ok(self.0.get(..limit.saturating_add(1)).unwrap_or(self.0).to_vec())
    }

    fn list(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        Ok(["main.tf", "terraform.tfvars", "terraform.tfvars.json", "x.auto.tfvars"]
            .iter()
            .map(|name| dir.join(name))
            .collect())
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let files = Module(text.as_bytes());
    let _ = azabac::input::read(&[PathBuf::from("m/main.tf")], &files);
    let _ = azabac::input::read(&[PathBuf::from("alone/prod.tfvars")], &files);
});
