# A platform team's delegation, as it is kept in Terraform: the AI team's lead may assign only
# Azure AI User and Storage Blob Data Reader, and only to groups and service principals.

variable "ai_team_lead_id" {
  type        = string
  description = "Object id of the AI team's lead."
}

locals {
  assignable_roles = [
    "53ca6127-db72-4b80-b1b0-d745d6d5456d", # Azure AI User
    "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", # Storage Blob Data Reader
  ]
}

resource "azurerm_role_assignment" "ai_lead_delegation" {
  scope                = azurerm_resource_group.ai.id
  role_definition_name = "Role Based Access Control Administrator"
  principal_id         = var.ai_team_lead_id
  principal_type       = "User"
  description          = "The AI team's lead assigns the team's roles"
  condition_version    = "2.0"
  condition            = <<-EOT
    (
     (
      !(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})
     )
     OR
     (
      @Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${join(", ", local.assignable_roles)}}
      AND
      @Request[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {'Group', 'ServicePrincipal'}
     )
    )
    AND
    (
     (
      !(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})
     )
     OR
     (
      @Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${join(", ", local.assignable_roles)}}
      AND
      @Resource[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {'Group', 'ServicePrincipal'}
     )
    )
  EOT
}

# Reading training data: only blobs tagged for the AI project.
resource "azurerm_role_assignment" "training_data_reader" {
  scope                = azurerm_storage_account.training.id
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = azurerm_user_assigned_identity.trainer.principal_id
  principal_type       = "ServicePrincipal"
  condition_version    = "2.0"
  condition            = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND NOT SubOperationMatches{'Blob.List'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>] StringEquals 'Cascade'))"
}
