# Modules that make the condition optional, as public modules do: `null` (written, a `lookup()`
# default) is no condition at all; `var.condition` whose default is `null` is the module's
# optional input, a condition slot; a condition version only a deployment knows is neither a
# wrong version nor a missing one.

variable "principal_id" {
  type = string
}

variable "condition" {
  type    = string
  default = null
}

variable "condition_version" {
  type = string
}

locals {
  storage_role_assignments = {
    reader = {
      role      = "Storage Blob Data Reader"
      condition = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'))"
    }
    owner = {
      role = "Storage Blob Data Owner"
    }
  }
}

# The module's optional input (default `null`): a condition slot, what is around it checked.
resource "azurerm_role_assignment" "optional" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = var.principal_id
  principal_type       = "Group"
  # ~ azurerm_role_assignment.optional | slot | AZ0402
  condition            = var.condition
  condition_version    = var.condition == null ? null : "2.0"
}

# One condition, for the entry that has one.
resource "azurerm_role_assignment" "storage" {
  for_each             = local.storage_role_assignments
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = each.value.role
  principal_id         = var.principal_id
  principal_type       = "Group"
  # ~ azurerm_role_assignment.storage["reader"] | valid
  condition            = lookup(each.value, "condition", null)
  condition_version    = lookup(each.value, "condition", null) == null ? null : "2.0"
}

# A PIM eligibility requires a version beside its condition: one from a variable is given.
resource "azurerm_pim_eligible_role_assignment" "eligible" {
  scope              = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_id = "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
  principal_id       = var.principal_id
  # ~ azurerm_pim_eligible_role_assignment.eligible | valid
  condition          = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'audit'))"
  condition_version  = var.condition_version
}
