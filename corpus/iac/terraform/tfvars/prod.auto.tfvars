# Loaded after terraform.tfvars (`*.auto.tfvars` in lexical order): its value replaces the
# variable's whole value there (Terraform does not merge maps across variable files).
role_assignments = {
  readers = {
    role_definition_id_or_name = "Storage Blob Data Reader"
    principal_id               = "6f0c2a8e-54b5-4b0f-9c55-0d7a8d6e5e11"
    principal_type             = "Group"
    # ~ azurerm_role_assignment.storage_account["readers"] | valid | | var.role_assignments
    condition                  = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'))"
    condition_version          = "2.0"
  }
  writers = {
    role_definition_id_or_name = "/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe"
    principal_id               = "0b1c5d2e-7a41-4e0e-8f1d-3e0f3c9a7b22"
    principal_type             = "ServicePrincipal"
    # ~ azurerm_role_assignment.storage_account["writers"] | invalid | AZ0201 AZ0312 | var.role_assignments
    condition                  = <<-EOT
      (
       (
        !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'})
       )
       OR
       (
        @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:nmae] StringEquals 'ingest'
       )
      )
    EOT
    condition_version          = "2.0"
  }
  # No condition: nothing to check.
  owners = {
    role_definition_id_or_name = "Storage Account Contributor"
    principal_id               = "9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c44"
  }
}
