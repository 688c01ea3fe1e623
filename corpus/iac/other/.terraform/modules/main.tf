resource "azurerm_role_assignment" "vendored" {
  condition = "this must never be read"
}
