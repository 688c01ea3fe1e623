locals {
  m0 = { a = 1 }
  m1 = merge(local.m0, local.m0, local.m0, local.m0, local.m0, local.m0, local.m0, local.m0)
  m2 = merge(local.m1, local.m1, local.m1, local.m1, local.m1, local.m1, local.m1, local.m1)
  m3 = merge(local.m2, local.m2, local.m2, local.m2, local.m2, local.m2, local.m2, local.m2)
  m4 = merge(local.m3, local.m3, local.m3, local.m3, local.m3, local.m3, local.m3, local.m3)
  m5 = merge(local.m4, local.m4, local.m4, local.m4, local.m4, local.m4, local.m4, local.m4)
  m6 = merge(local.m5, local.m5, local.m5, local.m5, local.m5, local.m5, local.m5, local.m5)
  m7 = merge(local.m6, local.m6, local.m6, local.m6, local.m6, local.m6, local.m6, local.m6)
  m8 = merge(local.m7, local.m7, local.m7, local.m7, local.m7, local.m7, local.m7, local.m7)
}
resource "azurerm_role_assignment" "r" {
  count                = length(local.m8)
  scope                = "x"
  role_definition_name = "Reader"
  principal_id         = "p"
  condition            = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'x'"
}