# A root module passing its variable to an Azure Verified Module (a landing zone's shape); the
# values come from terraform.tfvars.json, as pipelines that generate them write it.
variable "storage_role_assignments" {
  type = map(object({
    role_definition_id_or_name = string
    principal_id               = string
    principal_type             = optional(string)
    condition                  = optional(string)
    condition_version          = optional(string)
  }))
  default = {}
}

module "storage" {
  source  = "Azure/avm-res-storage-storageaccount/azurerm"
  version = "0.6.3"

  name                = "stshared001"
  resource_group_name = "rg-shared"
  location            = "westeurope"
  role_assignments    = var.storage_role_assignments
}
