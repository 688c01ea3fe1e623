# Values for a landing zone's root module, kept apart from its code and passed with
# `terraform plan -var-file=prod.tfvars`: no `.tf` file beside it, so it is read by the shape
# Azure Verified Modules give `role_assignments`, wherever the map sits.
storage_accounts = {
  logs = {
    name = "stlogsprod001"
    role_assignments = {
      collector = {
        role_definition_id_or_name = "Storage Blob Data Contributor"
        principal_id               = "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c77"
        principal_type             = "ServicePrincipal"
        # ~ storage_accounts["logs"].role_assignments["collector"] | valid | AZ0312
        condition                  = <<-EOT
          (
           (
            !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'})
           )
           OR
           (
            @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'insights-logs'
           )
          )
        EOT
        condition_version          = "2.0"
      }
    }
  }
}

key_vault_role_assignments = {
  deployer = {
    role_definition_id_or_name = "Role Based Access Control Administrator"
    principal_id               = "8b9c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d88"
    principal_type             = "ServicePrincipal"
    # ~ key_vault_role_assignments["deployer"] | invalid | AZ0201
    condition                  = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitonId] ForAnyOfAnyValues:GuidEquals {4633458b-17de-408a-b874-0445c86b69e6}))"
    condition_version          = "2.0"
  }
}
