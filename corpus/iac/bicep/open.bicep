// Values only a deployment knows, as public delegation templates write them: a set of role
// GUIDs joined from a parameter, a container name from another module. Each is checked around
// (AZ0404); a whole clause from a parameter leaves its condition not checkable (AZ0402).

param pipelinePrincipalId string
param assignableRoleIds array
param writeClause string

var roleSet = join(assignableRoleIds, ', ')
var rbacAdmin = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168')

module storage 'br/public:avm/res/storage/storage-account:0.9.0' = {
  name: 'storage'
  params: {
    name: 'stlogs'
  }
}

// Constrained delegation to the roles given: valid around the set.
resource delegation 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, pipelinePrincipalId, 'delegation')
  properties: {
    roleDefinitionId: rbacAdmin
    principalId: pipelinePrincipalId
    principalType: 'ServicePrincipal'
    conditionVersion: '2.0'
    // ~ delegation | valid | AZ0404
    condition: '((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/write\'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${roleSet}})) AND ((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/delete\'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${roleSet}}))'
  }
}

// Only the delete is restricted: the holder may assign any role, Owner included (AZ0318).
resource deleteOnly 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, pipelinePrincipalId, 'deleteOnly')
  properties: {
    roleDefinitionId: rbacAdmin
    principalId: pipelinePrincipalId
    principalType: 'ServicePrincipal'
    conditionVersion: '2.0'
    // ~ deleteOnly | valid | AZ0318 AZ0404
    condition: '((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/delete\'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${roleSet}}))'
  }
}

// A container name from a module's output, inside a string.
resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, pipelinePrincipalId, 'reader')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
    principalId: pipelinePrincipalId
    principalType: 'Group'
    conditionVersion: '2.0'
    // ~ reader | valid | AZ0404
    condition: '((!(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'${storage.outputs.name}\'))'
  }
}

// A whole clause from a parameter: not checkable.
resource clause 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, pipelinePrincipalId, 'clause')
  properties: {
    roleDefinitionId: rbacAdmin
    principalId: pipelinePrincipalId
    principalType: 'ServicePrincipal'
    conditionVersion: '2.0'
    // ~ clause | unchecked | AZ0402
    condition: '((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/write\'})) OR (${writeClause}))'
  }
}
