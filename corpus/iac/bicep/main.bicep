// A role assignment with a condition, the way Bicep users write it: a var interpolated into a
// GUID set, escaped quotes, and an AVM module's roleAssignments parameter.

@description('The reader\'s object id.')
param readerId string

param containerName string = 'logs'

var aiUser = '53ca6127-db72-4b80-b1b0-d745d6d5456d'

resource delegation 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, readerId, 'delegation')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168')
    principalId: readerId
    principalType: 'Group'
    conditionVersion: '2.0'
    // ~ delegation | valid
    condition: '((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/write\'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${aiUser}}))'
  }
}

// No principalType: AZ0317. A param default: an assumption.
resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, readerId, 'reader')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
    principalId: readerId
    // ~ reader | valid | AZ0317
    condition: '''
((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND NOT SubOperationMatches{'Blob.List'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'))
'''
  }
}

module storage 'br/public:avm/res/storage/storage-account:0.9.0' = {
  name: 'storage'
  params: {
    name: 'stlogs'
    roleAssignments: [
      {
        roleDefinitionIdOrName: 'Storage Blob Data Reader'
        principalId: readerId
        principalType: 'ServicePrincipal'
        conditionVersion: '2.0'
        // ~ storage.params.roleAssignments[0] | valid | AZ0303 | param containerName
        condition: '@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'${containerName}\''
      }
      {
        roleDefinitionIdOrName: 'Storage Blob Data Reader'
        principalId: readerId
        principalType: 'ServicePrincipal'
        // ~ storage.params.roleAssignments[1] | invalid | AZ0015 AZ0404
        condition: '@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEqual \'${uniqueString(resourceGroup().id)}\''
      }
    ]
  }
}

// A typo after escaped quotes: reported at its column in this file.
resource typo 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, readerId, 'typo')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
    principalId: readerId
    principalType: 'User'
    // ~ typo | invalid | AZ0015
    condition: '((!(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEqual \'logs\'))'
  }
}

// A role definition's resource id interpolated where the condition wants a GUID.
resource resourceId 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, readerId, 'resourceId')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168')
    principalId: readerId
    principalType: 'Group'
    // ~ resourceId | invalid | AZ0010 AZ0402
    condition: '((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/write\'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '53ca6127-db72-4b80-b1b0-d745d6d5456d')}}))'
  }
}

// A role definition referenced through an `existing` resource: `.name` is the GUID (resolved
// where written literally), `.id` its resource id, which is where a GUID belongs an error.
resource aiUser 'Microsoft.Authorization/roleDefinitions@2022-04-01' existing = {
  scope: subscription()
  name: '53ca6127-db72-4b80-b1b0-d745d6d5456d'
}

resource byName 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, readerId, 'byName')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168')
    principalId: readerId
    principalType: 'Group'
    // ~ byName | valid
    condition: '((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/write\'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${aiUser.name}}))'
  }
}

resource byId 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, readerId, 'byId')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168')
    principalId: readerId
    principalType: 'Group'
    // ~ byId | invalid | AZ0010 AZ0402
    condition: '((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/write\'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${aiUser.id}}))'
  }
}
