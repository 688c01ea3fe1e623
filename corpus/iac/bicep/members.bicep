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
    condition: '((${guards.readExceptList}) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'${containers[2]}\'))'
  }
}
