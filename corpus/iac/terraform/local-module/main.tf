# Calls of a local module whose role assignment takes its condition from a variable: each
# condition is checked at the argument that passes it, against the role the module assigns
# (its default, or the one passed), once per instance of a call's for_each.
module "logs_reader" {
  source       = "./modules/assignment"
  principal_id = "4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c77"
  # ~ module.logs_reader.azurerm_role_assignment.this | invalid | AZ0201
  condition    = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:nmae] StringEquals 'logs'))"
}

module "writers" {
  source   = "./modules/assignment"
  for_each = toset(["ingest", "staging"])

  principal_id         = "5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d88"
  role_definition_name = "Storage Blob Data Contributor"
  # ~ module.writers["ingest"].azurerm_role_assignment.this | valid | AZ0312
  # ~ module.writers["staging"].azurerm_role_assignment.this | valid | AZ0312
  condition = <<-EOT
    (
     (
      !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'})
     )
     OR
     (
      @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '${each.key}'
     )
    )
  EOT
}
