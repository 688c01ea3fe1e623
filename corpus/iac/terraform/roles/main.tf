# A custom role the module defines, assigned with a condition: the assignment is checked
# against the role's own permissions, as an assignment of a built-in role is. The role's GUID
# is known only after apply; its permissions are written here.

locals {
  delegation_actions = [
    "Microsoft.Authorization/roleAssignments/read",
    "Microsoft.Authorization/roleAssignments/write",
    "Microsoft.Authorization/roleAssignments/delete",
  ]
}

resource "azurerm_role_definition" "delegation" {
  name        = "platform-delegation"
  scope       = "/subscriptions/${var.subscription_id}"
  description = "Assign the roles the platform team hands out"

  permissions {
    actions = concat(local.delegation_actions, [
      "Microsoft.Resources/subscriptions/resourceGroups/read",
    ])
    not_actions = []
  }

  permissions {
    actions = local.delegation_actions
  }

  assignable_scopes = ["/subscriptions/${var.subscription_id}"]
}

resource "azurerm_role_definition" "blob_reader" {
  name  = "tagged-blob-reader"
  scope = "/subscriptions/${var.subscription_id}"

  permissions {
    data_actions = ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"]
  }
}

# Only the delete is restricted: the holder may still assign any role (AZ0318).
resource "azurerm_role_assignment" "delete_only" {
  scope              = "/subscriptions/${var.subscription_id}"
  role_definition_id = azurerm_role_definition.delegation.role_definition_resource_id
  principal_id       = var.platform_principal_id
  principal_type     = "Group"
  condition_version  = "2.0"
  # ~ azurerm_role_assignment.delete_only | valid | AZ0318 AZ0404
  condition          = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${var.assignable_role_id}}))"
}

# A guard on an action the custom role does not grant: it restricts nothing (AZ0311).
resource "azurerm_role_assignment" "wrong_action" {
  scope                = "/subscriptions/${var.subscription_id}"
  role_definition_name = azurerm_role_definition.blob_reader.name
  principal_id         = var.reader_principal_id
  principal_type       = "Group"
  condition_version    = "2.0"
  # ~ azurerm_role_assignment.wrong_action | valid | AZ0210 AZ0311
  condition            = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags:project<$key_case_sensitive$>] StringEquals 'cascade'))"
}

# A custom role whose actions only a deployment knows: not read, never guessed (AZ0401).
resource "azurerm_role_definition" "from_variable" {
  name  = "from-variable"
  scope = "/subscriptions/${var.subscription_id}"

  permissions {
    actions = var.delegation_actions
  }
}

resource "azurerm_role_assignment" "unknown_role" {
  scope                = "/subscriptions/${var.subscription_id}"
  role_definition_name = azurerm_role_definition.from_variable.name
  principal_id         = var.platform_principal_id
  principal_type       = "Group"
  condition_version    = "2.0"
  # ~ azurerm_role_assignment.unknown_role | valid | AZ0401
  condition            = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:PrincipalType] StringEqualsIgnoreCase 'Group'))"
}

# A built-in role looked up by name: the assignment is checked against it (a guard on an action
# Storage Blob Data Reader does not grant, AZ0311).
data "azurerm_role_definition" "blob_reader" {
  name = "Storage Blob Data Reader"
}

resource "azurerm_role_assignment" "looked_up" {
  scope              = var.storage_account_id
  role_definition_id = data.azurerm_role_definition.blob_reader.id
  principal_id       = var.reader_principal_id
  principal_type     = "Group"
  condition_version  = "2.0"
  # ~ azurerm_role_assignment.looked_up | valid | AZ0311
  condition          = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'))"
}
