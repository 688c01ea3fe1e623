# A delegation the way public repositories write it: a heredoc with `<<-`, a local resolved
# into a GUID set, a variable default (an assumption), Terraform's own conditions beside it.

locals {
  ai_user         = "53ca6127-db72-4b80-b1b0-d745d6d5456d"
  allowed_roles   = join(", ", [local.ai_user, "ba92f5b4-2d11-453d-a403-e96b0029c9fe"])
}

resource "azurerm_role_assignment" "ai_owner_delegation" {
  scope                = azurerm_resource_group.ai.id
  role_definition_name = "Role Based Access Control Administrator"
  principal_id         = var.platform_team_id
  principal_type       = "Group"
  condition_version    = "2.0"
  # ~ azurerm_role_assignment.ai_owner_delegation | valid
  condition            = <<-EOT
    (
     (
      !(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})
     )
     OR
     (
      @Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${local.allowed_roles}}
     )
    )
  EOT

  lifecycle {
    precondition {
      condition     = var.platform_team_id != ""
      error_message = "The platform team's object id is required."
    }
  }
}

# No principal_type: Azure leaves PrincipalType out of the request (AZ0317).
resource "azurerm_role_assignment" "logs_reader" {
  scope                = azurerm_storage_account.logs.id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = var.reader_id
  condition_version    = "2.0"
  # ~ azurerm_role_assignment.logs_reader | valid | AZ0317 | var.container
  condition            = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND NOT SubOperationMatches{'Blob.List'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '${var.container}'))"
}

# Double quotes inside an HCL string: `\"` is Azure's AZ0003, reported at the file's column.
resource "azurerm_role_assignment" "quoted" {
  scope                            = azurerm_storage_account.logs.id
  role_definition_name             = "Storage Blob Data Reader"
  principal_id                     = var.reader_id
  skip_service_principal_aad_check = true
  # ~ azurerm_role_assignment.quoted | invalid | AZ0003
  condition                        = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \"logs\""
}

# A module output cannot be known offline: the condition is checked around it (AZ0404).
resource "azurerm_role_assignment" "from_module" {
  scope                = azurerm_storage_account.logs.id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = var.reader_id
  principal_type       = "ServicePrincipal"
  # ~ azurerm_role_assignment.from_module | valid | AZ0303 AZ0404
  condition            = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '${module.naming.container}'"
}

# A typo inside an indented heredoc: reported at its line and column in this file.
resource "azurerm_role_assignment" "typo_in_heredoc" {
  scope                = azurerm_storage_account.logs.id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = var.reader_id
  principal_type       = "Group"
  # ~ azurerm_role_assignment.typo_in_heredoc | invalid | AZ0015
  condition            = <<-EOT
    (
     (
      !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})
     )
     OR
     (
      @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEqual 'logs'
     )
    )
  EOT
}

# A role definition's resource id where the condition wants a GUID: the targeted error, though
# the value is known only after apply.
resource "azurerm_role_assignment" "resource_id" {
  scope                = azurerm_resource_group.ai.id
  role_definition_name = "Role Based Access Control Administrator"
  principal_id         = var.platform_team_id
  principal_type       = "Group"
  # ~ azurerm_role_assignment.resource_id | invalid | AZ0010 AZ0402
  condition            = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${azurerm_role_definition.widget.id}}))"
}

# `user` in lower case: the azurerm provider's schema refuses it (AZ0031), before Azure sees it.
resource "azurerm_role_assignment" "lowercase_type" {
  scope                = azurerm_storage_account.logs.id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = var.reader_id
  principal_type       = "user"
  condition_version    = "2.0"
  # ~ azurerm_role_assignment.lowercase_type | invalid | AZ0031
  condition            = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND NOT SubOperationMatches{'Blob.List'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'))"
}
