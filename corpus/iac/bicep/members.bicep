// Conditions assembled from members of object and array variables, as modules that name
// their guards and expressions do. Each interpolation resolves offline.
param readerId string = '7c1f0a55-2b1e-4d5a-9a59-6a7c0e3f2b10'
param projectTag string = 'cascade'

var blobs = 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs'

var guards = {
  readExceptList: '!(ActionMatches{\'${blobs}/read\'} AND NOT SubOperationMatches{\'Blob.List\'})'
}

var tests = {
  currentVersion: '@Resource[${blobs}:isCurrentVersion] BoolEquals true'
  projectTag: '@Resource[${blobs}/tags:project<$key_case_sensitive$>] StringEqualsIgnoreCase \'${projectTag}\''
}

var containers = [
  'logs'
  'audit'
]

resource tagged 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(readerId, 'tagged')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
    principalId: readerId
    principalType: 'ServicePrincipal'
    conditionVersion: '2.0'
    // ~ tagged | valid |  | param projectTag
    condition: '((${guards.readExceptList}) OR (${tests.currentVersion} AND ${tests['projectTag']}))'
  }
}

// A member the variable does not have stays not checkable, never a guess.
resource missing 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(readerId, 'missing')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
    principalId: readerId
    principalType: 'ServicePrincipal'
    // ~ missing | unchecked | AZ0402
    condition: '((${guards.readExceptList}) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'${containers[2]}\'))'
  }
}

// A loop over items written literally: one role assignment, and one condition, per item,
// named by its index. The second item's container name carries a stray quote.
var readers = [
  {
    principalId: '7c1f0a55-2b1e-4d5a-9a59-6a7c0e3f2b10'
    container: 'logs'
  }
  {
    principalId: '8d2e1b66-3c2f-4e6b-8b6a-7b8d1f4a3c21'
    container: 'audit\''
  }
]

resource perReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (reader, i) in readers: {
  name: guid(reader.principalId, 'reader', string(i))
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
    principalId: reader.principalId
    principalType: 'ServicePrincipal'
    conditionVersion: '2.0'
    // ~ perReader[0] | valid
    // ~ perReader[1] | invalid | AZ0002 AZ0011 AZ0013 AZ0013
    condition: '((${guards.readExceptList}) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'${reader.container}\'))'
  }
}]

// An Azure Verified Module's `roleAssignments` built by a loop over the same items: one entry,
// and one condition, per item.
module storage 'br/public:avm/res/storage/storage-account:0.14.0' = {
  name: 'storage'
  params: {
    name: 'stlogs'
    roleAssignments: [for reader in readers: {
      roleDefinitionIdOrName: 'Storage Blob Data Reader'
      principalId: reader.principalId
      principalType: 'ServicePrincipal'
      // ~ storage.params.roleAssignments[0] | valid
      // ~ storage.params.roleAssignments[1] | invalid | AZ0002 AZ0011 AZ0013 AZ0013
      condition: '((${guards.readExceptList}) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'${reader.container}\'))'
      conditionVersion: '2.0'
    }]
  }
}

// A loop filtered on a member of each item: only the items it keeps are instances, numbered
// as Bicep numbers them (by their place among all items). The one it drops carries the stray
// quote, so nothing is reported for it.
resource perEnabledReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (reader, i) in readers: if (reader.principalId == '7c1f0a55-2b1e-4d5a-9a59-6a7c0e3f2b10') {
  name: guid(reader.principalId, 'enabled', string(i))
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
    principalId: reader.principalId
    principalType: 'ServicePrincipal'
    conditionVersion: '2.0'
    // ~ perEnabledReader[0] | valid
    condition: '((${guards.readExceptList}) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'${reader.container}\'))'
  }
}]

// A loop over `items()` of an object: one instance per key, in key order.
var containerRoles = {
  logs: {
    enabled: true
    role: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  }
  archive: {
    enabled: false
    role: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  }
}

resource perContainer 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for entry in items(containerRoles): if (entry.value.enabled) {
  name: guid(entry.key)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', entry.value.role)
    principalId: '7c1f0a55-2b1e-4d5a-9a59-6a7c0e3f2b10'
    principalType: 'ServicePrincipal'
    conditionVersion: '2.0'
    // ~ perContainer[1] | valid | AZ0311
    condition: '((!(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'${entry.key}\'))'
  }
}]
