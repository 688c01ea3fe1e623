# Conditions kept in template files, as public modules do: `templatefile()` over literal
# values resolves, values only a deployment knows are checked around; a template with a
# `%{ for }` directive is not checkable offline.

locals {
  assignable_roles = ["53ca6127-db72-4b80-b1b0-d745d6d5456d", "ba92f5b4-2d11-453d-a403-e96b0029c9fe"]
}

resource "azurerm_role_assignment" "delegation" {
  scope                = azurerm_resource_group.ai.id
  role_definition_name = "Role Based Access Control Administrator"
  principal_id         = var.platform_team_id
  principal_type       = "Group"
  condition_version    = "2.0"
  condition = templatefile("${path.module}/conditions/delegation.tftpl", {
    role_ids = join(", ", local.assignable_roles)
  })
}

# The same template with a typo in the action: the error points at the templatefile() call.
resource "azurerm_role_assignment" "typo" {
  scope                = azurerm_resource_group.ai.id
  role_definition_name = "Role Based Access Control Administrator"
  principal_id         = var.platform_team_id
  principal_type       = "Group"
  condition            = templatefile("${path.module}/conditions/typo.tftpl", { role_ids = "53ca6127-db72-4b80-b1b0-d745d6d5456d" })
}

resource "azurerm_role_assignment" "looped" {
  scope                = azurerm_resource_group.ai.id
  role_definition_name = "Role Based Access Control Administrator"
  principal_id         = var.platform_team_id
  principal_type       = "Group"
  # ~ azurerm_role_assignment.looped | unchecked | AZ0402
  condition            = templatefile("${path.module}/conditions/looped.tftpl", { roles = local.assignable_roles })
}

# A variable's default passed to the template: resolved, and listed as an assumption.
variable "role_ids" {
  type    = string
  default = "53ca6127-db72-4b80-b1b0-d745d6d5456d"
}

resource "azurerm_role_assignment" "from_default" {
  scope                = azurerm_resource_group.ai.id
  role_definition_name = "Role Based Access Control Administrator"
  principal_id         = var.platform_team_id
  principal_type       = "Group"
  condition            = templatefile("${path.module}/conditions/delegation.tftpl", { role_ids = var.role_ids })
}

# Role GUIDs from data sources passed to the template: checked around them, in the template.
data "azurerm_role_definition" "assignable" {
  for_each = toset(["AcrPull", "AcrPush"])
  name     = each.value
}

resource "azurerm_role_assignment" "from_data" {
  scope                = azurerm_resource_group.ai.id
  role_definition_name = "Role Based Access Control Administrator"
  principal_id         = var.platform_team_id
  principal_type       = "Group"
  condition            = templatefile("${path.module}/conditions/delegation.tftpl", { role_ids = join(", ", [for r in data.azurerm_role_definition.assignable : r.role_definition_id]) })
}

# A condition kept in a plain condition file, read whole with `file()` (and trimmed): checked
# there against the resource's role (which does not grant the delete its second block
# targets: AZ0311), and reported once, as the resource, not also as a file of its own.
resource "azurerm_role_assignment" "from_file" {
  scope                = azurerm_resource_group.ai.id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = var.platform_team_id
  principal_type       = "Group"
  condition            = trimspace(file("${path.module}/conditions/logs-reader.cond"))
}
