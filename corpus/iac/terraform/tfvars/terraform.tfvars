# Replaced whole by prod.auto.tfvars, which Terraform loads after this file: this condition is
# not the one deployed, and is not reported.
role_assignments = {
  auditors = {
    role_definition_id_or_name = "Storage Blob Data Reader"
    principal_id               = "2a7d1f0c-8e5b-4c3a-9d6f-1b0e2c4d6f33"
    condition                  = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:nmae] StringEquals 'old'"
    condition_version          = "2.0"
  }
}
