locals {
  role_definition_resource_substring = "/providers/Microsoft.Authorization/roleDefinitions"
}
