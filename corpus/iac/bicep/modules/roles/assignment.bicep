// A local module that assigns one role with a condition, as platform teams write them. Every
// call in `main.bicep` passes `condition`, so its slot is reported at each call, not here.
@description('The principal to assign the role to.')
param principalId string

@description('The role definition GUID.')
param roleDefinitionId string

@description('The principal type.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param principalType string = 'ServicePrincipal'

@description('Optional. The condition on the role assignment.')
param condition string?

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, roleDefinitionId)
  properties: {
    principalId: principalId
    principalType: principalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)
    condition: condition
    conditionVersion: empty(condition) ? null : '2.0'
  }
}
