// A condition version passed in as a parameter: known only at deployment, so neither a wrong
// version nor a missing one. A condition left out when empty (`empty(condition) ? null :
// condition`) under its parameter's default `''` is no condition, and neither is one whose
// parameter defaults to `null`.

param principalId string
param conditionVersion string
param condition string = ''
param extraCondition string? = null

resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, 'reader')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
    principalId: principalId
    principalType: 'Group'
    conditionVersion: conditionVersion
    // ~ reader | valid
    condition: '((!(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'logs\'))'
  }
}

resource optional 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, 'optional')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
    principalId: principalId
    principalType: 'Group'
    conditionVersion: empty(condition) ? null : '2.0'
    condition: empty(condition) ? null : condition
  }
}

resource extra 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, 'extra')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
    principalId: principalId
    principalType: 'Group'
    condition: extraCondition
  }
}
