# A module's own repository (an Azure Verified Module's shape, with no variable file): its
# conditions are what its callers give, so each is a condition slot, reported once and counted
# as found; what is around it is still checked.
variable "role_assignments" {
  type = map(object({
    role_definition_id_or_name = string
    principal_id               = string
    condition                  = optional(string, null)
    condition_version          = optional(string, null)
    principal_type             = optional(string, null)
  }))
  default  = {}
  nullable = false
}

variable "condition" {
  type        = string
  description = "The condition of the pipeline's assignment."
}

resource "azurerm_role_assignment" "this" {
  for_each = var.role_assignments

  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = each.value.role_definition_id_or_name
  principal_id         = each.value.principal_id
  principal_type       = each.value.principal_type
  # ~ azurerm_role_assignment.this | slot | AZ0401 AZ0402
  condition            = each.value.condition
  condition_version    = each.value.condition_version
}

resource "azurerm_role_assignment" "pipeline" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e00"
  # ~ azurerm_role_assignment.pipeline | slot | AZ0317 AZ0402
  condition            = var.condition == "" ? null : var.condition
  condition_version    = "2.0"
}
