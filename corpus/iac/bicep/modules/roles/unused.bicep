// A local module no file here calls: its condition is its callers' to give, a condition slot
// reported once, here.
param principalId string
param condition string

resource delegation 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, 'delegation')
  properties: {
    principalId: principalId
    principalType: 'Group'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168')
    // ~ delegation | slot | AZ0402
    condition: condition
    conditionVersion: '2.0'
  }
}
