# azapi 1.x bodies, written with `jsonencode()` as many modules write them (issue 31), and a
# body whose properties a local holds and `merge()` completes: each condition read where it is
# written, with the facts beside it.
resource "azapi_resource" "reader_json" {
  type      = "Microsoft.Authorization/roleAssignments@2022-04-01"
  name      = "00000000-0000-0000-0000-0000000000d3"
  parent_id = azurerm_resource_group.ai.id
  body = jsonencode({
    properties = {
      principalId      = var.reader_id
      principalType    = "Group"
      roleDefinitionId = "/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
      conditionVersion = "2.0"
      # ~ azapi_resource.reader_json | invalid | AZ0015
      condition        = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEqual 'logs'))"
    }
  })
}

locals {
  azapi_reader = {
    principalId      = "a11ce000-0000-0000-0000-0000000000d4"
    roleDefinitionId = "/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
    conditionVersion = "2.0"
    # ~ azapi_resource.reader_merged | valid
    condition        = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'audit'))"
  }
}

resource "azapi_resource" "reader_merged" {
  type      = "Microsoft.Authorization/roleAssignments@2022-04-01"
  name      = "00000000-0000-0000-0000-0000000000d4"
  parent_id = azurerm_resource_group.ai.id
  body = jsonencode({
    properties = merge(local.azapi_reader, { principalType = "User" })
  })
}
