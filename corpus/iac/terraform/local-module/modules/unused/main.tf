# A local module no file here calls: its condition is its callers' to give, a condition slot
# reported once, here.
variable "condition" {
  type = string
}

resource "azurerm_role_assignment" "delegation" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = "Role Based Access Control Administrator"
  principal_id         = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b66"
  principal_type       = "Group"
  # ~ azurerm_role_assignment.delegation | slot | AZ0402
  condition            = var.condition
  condition_version    = "2.0"
}
