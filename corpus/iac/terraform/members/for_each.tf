# One role assignment per instance of a `for_each` over a map or set written literally: each
# instance is checked on its own, addressed by its key, as `terraform plan` names it.

locals {
  readers = {
    logs = {
      principal_id = "7c1f0a55-2b1e-4d5a-9a59-6a7c0e3f2b10"
      container    = "logs"
    }
    # A stray quote in one instance's value: that instance alone is invalid.
    audit = {
      principal_id = "8d2e1b66-3c2f-4e6b-8b6a-7b8d1f4a3c21"
      container    = "audit'"
    }
  }

  storage_assignments = {
    reader = {
      role_definition_id_or_name = "Storage Blob Data Reader"
      principal_id               = "7c1f0a55-2b1e-4d5a-9a59-6a7c0e3f2b10"
      principal_type             = "ServicePrincipal"
      condition_version          = "2.0"
      # ~ module.storage.role_assignments["reader"] | valid
      condition                  = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'))"
    }
  }
}

resource "azurerm_role_assignment" "reader" {
  for_each             = local.readers
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = each.value.principal_id
  principal_type       = "ServicePrincipal"
  condition_version    = "2.0"
  # ~ azurerm_role_assignment.reader["logs"] | valid
  # ~ azurerm_role_assignment.reader["audit"] | invalid | AZ0002 AZ0011 AZ0013 AZ0013
  condition            = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '${each.value.container}'))"
}

resource "azurerm_role_assignment" "by_name" {
  for_each             = toset(["logs", "audit"])
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = "7c1f0a55-2b1e-4d5a-9a59-6a7c0e3f2b10"
  principal_type       = "ServicePrincipal"
  condition_version    = "2.0"
  # ~ azurerm_role_assignment.by_name["logs"] | valid
  # ~ azurerm_role_assignment.by_name["audit"] | valid
  condition            = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '${each.key}'))"
}

# A module's `role_assignments` map held in a local: read where it is written.
module "storage" {
  source           = "Azure/avm-res-storage-storageaccount/azurerm"
  role_assignments = local.storage_assignments
}

# `count` over the length of a local list, indexing it with `count.index`; and a `for_each`
# key looking up a map. Each of the second instances reads a value with a stray quote.
locals {
  shares = ["public", "private'"]
  owners = {
    logs  = "ops"
    audit = "sec'"
  }
}

resource "azurerm_role_assignment" "counted" {
  count                = length(local.shares)
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = "7c1f0a55-2b1e-4d5a-9a59-6a7c0e3f2b10"
  principal_type       = "ServicePrincipal"
  condition_version    = "2.0"
  # ~ azurerm_role_assignment.counted[0] | valid
  # ~ azurerm_role_assignment.counted[1] | invalid | AZ0002 AZ0011 AZ0013 AZ0013
  condition            = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '${local.shares[count.index]}'))"
}

resource "azurerm_role_assignment" "owned" {
  for_each             = toset(["logs", "audit"])
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = "7c1f0a55-2b1e-4d5a-9a59-6a7c0e3f2b10"
  principal_type       = "ServicePrincipal"
  condition_version    = "2.0"
  # ~ azurerm_role_assignment.owned["logs"] | valid
  # ~ azurerm_role_assignment.owned["audit"] | invalid | AZ0002 AZ0011 AZ0013 AZ0013
  condition            = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '${local.owners[each.key]}'))"
}

# A module's `role_assignments` built by a `for` expression over a local: one entry per element,
# its variables bound (the second reader's container carries the stray quote).
module "logs_storage" {
  source = "Azure/avm-res-storage-storageaccount/azurerm"
  role_assignments = { for name, reader in local.readers : name => {
    role_definition_id_or_name = "Storage Blob Data Reader"
    principal_id               = reader.principal_id
    principal_type             = "ServicePrincipal"
    # ~ module.logs_storage.role_assignments["logs"] | valid
    # ~ module.logs_storage.role_assignments["audit"] | invalid | AZ0002 AZ0011 AZ0013 AZ0013
    condition                  = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '${reader.container}'))"
  } }
}

# A `for_each` built by a `for` expression over a list of objects, keyed by a member (and over
# a map, keyed by a template of the key and a member, filtered on a member): each instance is
# read on its own. The second writer's container has a stray quote; the filter drops the
# reader whose container has one.
locals {
  container_access = [
    {
      name      = "logs-reader"
      role      = "Storage Blob Data Reader"
      container = "logs"
    },
    {
      name      = "audit-writer"
      role      = "Storage Blob Data Contributor"
      container = "audit'"
    },
  ]
}

resource "azurerm_role_assignment" "container_access" {
  for_each             = { for access in local.container_access : access.name => access }
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = each.value.role
  principal_id         = "7c1f0a55-2b1e-4d5a-9a59-6a7c0e3f2b10"
  principal_type       = "ServicePrincipal"
  condition_version    = "2.0"
  # ~ azurerm_role_assignment.container_access["logs-reader"] | valid | AZ0311
  # ~ azurerm_role_assignment.container_access["audit-writer"] | invalid | AZ0002 AZ0011 AZ0013 AZ0013
  condition            = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '${each.value.container}'))"
}

resource "azurerm_role_assignment" "per_reader" {
  for_each             = { for name, reader in local.readers : "${name}-${reader.principal_id}" => reader if reader.container != "audit'" }
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = each.value.principal_id
  principal_type       = "ServicePrincipal"
  condition_version    = "2.0"
  # ~ azurerm_role_assignment.per_reader["logs-7c1f0a55-2b1e-4d5a-9a59-6a7c0e3f2b10"] | valid
  condition            = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '${each.value.container}'))"
}
