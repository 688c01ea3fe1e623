// A condition kept in its own file and read with `trim(loadTextContent(…))`, which Bicep inlines
// at build time: checked in that file, against the assignment's role (Role Based Access Control
// Administrator, whose write it gates), and reported once, not also as a `.cond` file.

param principalId string

resource delegation 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, 'ai-delegation')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'f58310d9-a9f6-439a-9e8d-f62e7b41a168')
    principalId: principalId
    principalType: 'Group'
    conditionVersion: '2.0'
    condition: trim(loadTextContent('conditions/delegation.cond'))
  }
}
