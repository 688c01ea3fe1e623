# Conditions whose values only a deployment knows, in the shapes public delegation modules
# write them: a role's GUID from a `data "azurerm_role_definition"`, a local built by a `for`
# expression joined into a set, a variable with no default inside a string. Each is checked
# around the value it cannot know (AZ0404); a value anywhere but inside one literal leaves the
# condition not checkable (AZ0402).

data "azurerm_role_definition" "acr_pull" {
  name = "AcrPull"
}

data "azurerm_role_definition" "assignable" {
  for_each = toset(var.assignable_roles)
  name     = each.value
}

locals {
  assignable_role_guids = [for r in var.assignable_roles : data.azurerm_role_definition.assignable[r].role_definition_id]
}

# Constrained delegation to AcrPull: valid around the GUID.
resource "azurerm_role_assignment" "acr_delegation" {
  scope                = var.registry_id
  role_definition_name = "Role Based Access Control Administrator"
  principal_id         = var.pipeline_principal_id
  principal_type       = "ServicePrincipal"
  condition_version    = "2.0"
  # ~ azurerm_role_assignment.acr_delegation | valid | AZ0404
  condition            = <<-EOT
    ((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${data.azurerm_role_definition.acr_pull.role_definition_id}}))
    AND
    ((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${data.azurerm_role_definition.acr_pull.role_definition_id}}))
  EOT
}

# The same with `write` misspelt: the write is left unrestricted, and the typo is found.
resource "azurerm_role_assignment" "typo" {
  scope                = var.registry_id
  role_definition_name = "Role Based Access Control Administrator"
  principal_id         = var.pipeline_principal_id
  principal_type       = "ServicePrincipal"
  condition_version    = "2.0"
  # ~ azurerm_role_assignment.typo | valid | AZ0301 AZ0404
  condition            = <<-EOT
    ((!(ActionMatches{'Microsoft.Authorization/roleAssignments/wirte'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${data.azurerm_role_definition.acr_pull.role_definition_id}}))
    AND
    ((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${data.azurerm_role_definition.acr_pull.role_definition_id}}))
  EOT
}

# A set joined from a `for` expression, and the guard of the delete block without its `!`.
resource "azurerm_role_assignment" "joined" {
  scope                = var.subscription_id
  role_definition_name = "Role Based Access Control Administrator"
  principal_id         = var.pipeline_principal_id
  principal_type       = "ServicePrincipal"
  condition_version    = "2.0"
  # ~ azurerm_role_assignment.joined | valid | AZ0313 AZ0316 AZ0404
  condition            = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${join(", ", local.assignable_role_guids)}})) AND ((ActionMatches{'Microsoft.Authorization/roleAssignments/delete'}) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${join(", ", local.assignable_role_guids)}}))"
}

# Values inside string and date literals: what depends on their text is not checked, the rest
# is (here, an operator the attribute does not take).
resource "azurerm_role_assignment" "reader" {
  scope                = var.storage_account_id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = var.reader_principal_id
  principal_type       = "Group"
  condition_version    = "2.0"
  # ~ azurerm_role_assignment.reader | invalid | AZ0203 AZ0404
  condition            = <<-EOT
    (
     (
      !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND NOT SubOperationMatches{'Blob.List'})
     )
     OR
     (
      @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '${var.container_name}'
      AND
      @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith '${var.blob_path}/'
      AND
      @Environment[UtcNow] DateTimeLessThan '${var.expires_at}'
      AND
      @Resource[Microsoft.Storage/storageAccounts:isHnsEnabled] StringEquals '${var.hns}'
     )
    )
  EOT
}

# A whole clause, a guard's action and an attribute's key cannot be checked around: each
# leaves its condition not checkable.
resource "azurerm_role_assignment" "clause" {
  scope                = var.subscription_id
  role_definition_name = "Role Based Access Control Administrator"
  principal_id         = var.pipeline_principal_id
  principal_type       = "ServicePrincipal"
  condition_version    = "2.0"
  # ~ azurerm_role_assignment.clause | unchecked | AZ0402
  condition            = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (${var.write_clause}))"
}

resource "azurerm_role_assignment" "guarded_action" {
  scope                = var.storage_account_id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = var.reader_principal_id
  principal_type       = "Group"
  condition_version    = "2.0"
  # ~ azurerm_role_assignment.guarded_action | unchecked | AZ0402
  condition            = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/${var.verb}'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'))"
}

resource "azurerm_role_assignment" "tag_key" {
  scope                = var.storage_account_id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = var.reader_principal_id
  principal_type       = "Group"
  condition_version    = "2.0"
  # ~ azurerm_role_assignment.tag_key | unchecked | AZ0402
  condition            = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:${var.tag_key}<$key_case_sensitive$>] StringEquals 'yes'))"
}

# A `<<-` heredoc written flush left, as a public delegation module does, with values inside
# it: its lines keep their text (a parser that strips the indent of the deeper lines from the
# shallower ones turns `OR` into `R`).
resource "azurerm_role_assignment" "flush_heredoc" {
  scope                = var.subscription_id
  role_definition_name = "User Access Administrator"
  principal_id         = var.pipeline_principal_id
  principal_type       = "Group"
  condition_version    = "2.0"
  # ~ azurerm_role_assignment.flush_heredoc | valid | AZ0404
  condition            = <<-EOT
(
 (
  !(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})
 )
 OR
 (
  @Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${join(", ", local.assignable_role_guids)}}
  AND
  @Request[Microsoft.Authorization/roleAssignments:PrincipalType] StringEqualsIgnoreCase 'Group'
 )
)
EOT
}
