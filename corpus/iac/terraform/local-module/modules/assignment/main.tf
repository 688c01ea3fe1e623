# A local module that assigns one role with a condition. Every call in ../../main.tf passes
# `condition`, so the condition is checked at each call, not here.
variable "principal_id" {
  type = string
}

variable "role_definition_name" {
  type    = string
  default = "Storage Blob Data Reader"
}

variable "principal_type" {
  type    = string
  default = "ServicePrincipal"
}

variable "condition" {
  type = string
}

resource "azurerm_role_assignment" "this" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = var.role_definition_name
  principal_id         = var.principal_id
  principal_type       = var.principal_type
  condition            = var.condition
  condition_version    = "2.0"
}
