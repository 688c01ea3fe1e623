# Conditions assembled from members of maps and lists in locals and variables, as modules
# that name their guards and expressions do. Each reference resolves offline.

locals {
  blobs = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs"
  guards = {
    read_except_list = "!(ActionMatches{'${local.blobs}/read'} AND NOT SubOperationMatches{'Blob.List'})"
  }
  containers = ["logs", "audit"]
}

variable "tests" {
  type = map(string)
  default = {
    "current-version" = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:isCurrentVersion] BoolEquals true"
  }
}

resource "azurerm_role_assignment" "current_audit" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = "7c1f0a55-2b1e-4d5a-9a59-6a7c0e3f2b10"
  principal_type       = "ServicePrincipal"
  condition_version    = "2.0"
  # ~ azurerm_role_assignment.current_audit | valid |  | var.tests
  condition            = "((${local.guards.read_except_list}) OR (${var.tests["current-version"]} AND @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '${local.containers[1]}'))"
}

# A member the map does not have stays not checkable, never a guess.
resource "azurerm_role_assignment" "missing" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = "7c1f0a55-2b1e-4d5a-9a59-6a7c0e3f2b10"
  principal_type       = "ServicePrincipal"
  condition_version    = "2.0"
  # ~ azurerm_role_assignment.missing | unchecked | AZ0402
  condition            = "((${local.guards.write}) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '${local.containers[2]}'))"
}
