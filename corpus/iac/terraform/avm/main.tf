# Azure Verified Modules take role assignments as a map; the condition is a value of it.
module "storage" {
  source  = "Azure/avm-res-storage-storageaccount/azurerm"
  version = "0.5.0"

  role_assignments = {
    reader = {
      role_definition_id_or_name = "Storage Blob Data Reader"
      principal_id               = var.reader_id
      principal_type             = "ServicePrincipal"
      condition_version          = "2.0"
      # ~ module.storage.role_assignments["reader"] | valid
      condition                  = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND NOT SubOperationMatches{'Blob.List'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'public'))"
    }
    writer = {
      role_definition_id_or_name = "Storage Blob Data Contributor"
      principal_id               = var.writer_id
      condition_version          = "1.0"
      # ~ module.storage.role_assignments["writer"] | invalid | AZ0030 AZ0303 AZ0317
      condition                  = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'uploads'"
    }
  }
}

resource "azapi_resource" "ai_user_delegation" {
  type      = "Microsoft.Authorization/roleAssignments@2022-04-01"
  name      = "00000000-0000-0000-0000-0000000000d1"
  parent_id = azurerm_resource_group.ai.id
  body = {
    properties = {
      principalId      = var.writer_id
      principalType    = "User"
      roleDefinitionId = "/providers/Microsoft.Authorization/roleDefinitions/f58310d9-a9f6-439a-9e8d-f62e7b41a168"
      conditionVersion = "2.0"
      # ~ azapi_resource.ai_user_delegation | valid
      condition        = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {53ca6127-db72-4b80-b1b0-d745d6d5456d}))"
    }
  }
}

variable "reader_id" {
  type = string
}

variable "writer_id" {
  type = string
}

# A custom role by azapi: each permission block's condition, by its path in the body.
resource "azapi_resource" "blob_tag_reader" {
  type      = "Microsoft.Authorization/roleDefinitions@2022-04-01"
  name      = "00000000-0000-0000-0000-0000000000d2"
  parent_id = azurerm_resource_group.ai.id
  body = {
    properties = {
      roleName         = "Cascade blob reader"
      type             = "CustomRole"
      assignableScopes = [azurerm_resource_group.ai.id]
      permissions = [
        {
          dataActions      = ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"]
          conditionVersion = "2.0"
          # ~ azapi_resource.blob_tag_reader.body.properties.permissions[0] | valid
          condition        = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND NOT SubOperationMatches{'Blob.List'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:Project<$key_case_sensitive$>] StringEquals 'Cascade'))"
        }
      ]
    }
  }
}

# A module's role assignments merged from a shared local and the call's own map, as platform
# modules layer them: a later map's key replaces an earlier one's (the shared `writer` is
# replaced; the call's own `writer` has a misspelt operator).
locals {
  platform_role_assignments = {
    reader = {
      role_definition_id_or_name = "Storage Blob Data Reader"
      principal_id               = "7c1f0a55-2b1e-4d5a-9a59-6a7c0e3f2b10"
      principal_type             = "Group"
      condition_version          = "2.0"
      # ~ module.logs.role_assignments["reader"] | valid
      condition                  = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'))"
    }
    writer = {
      role_definition_id_or_name = "Storage Blob Data Contributor"
      principal_id               = "8d2e1b66-3c2f-4e6b-8b6a-7b8d1f4a3c21"
      principal_type             = "Group"
      condition_version          = "2.0"
      condition                  = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'))"
    }
  }
}

module "logs" {
  source  = "Azure/avm-res-storage-storageaccount/azurerm"
  version = "0.6.0"
  role_assignments = merge(local.platform_role_assignments, {
    writer = {
      role_definition_id_or_name = "Storage Blob Data Contributor"
      principal_id               = "8d2e1b66-3c2f-4e6b-8b6a-7b8d1f4a3c21"
      principal_type             = "Group"
      condition_version          = "2.0"
      # ~ module.logs.role_assignments["writer"] | invalid | AZ0015
      condition                  = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEqual 'audit'))"
    }
  })
}
