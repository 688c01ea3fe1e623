// A custom role the file defines, assigned with a condition: the assignment is checked against
// the role's own permissions, as an assignment of a built-in role is.

param principalId string

var delegationActions = [
  'Microsoft.Authorization/roleAssignments/read'
  'Microsoft.Authorization/roleAssignments/write'
  'Microsoft.Authorization/roleAssignments/delete'
]

resource delegationRole 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, 'platform-delegation')
  properties: {
    roleName: 'platform-delegation'
    description: 'Assign the roles the platform team hands out'
    type: 'CustomRole'
    permissions: [
      {
        actions: delegationActions
        notActions: []
      }
    ]
    assignableScopes: [
      subscription().id
    ]
  }
}

// Only the delete is restricted: the holder may still assign any role (AZ0318).
resource deleteOnly 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, 'deleteOnly')
  properties: {
    roleDefinitionId: delegationRole.id
    principalId: principalId
    principalType: 'Group'
    conditionVersion: '2.0'
    // ~ deleteOnly | valid | AZ0318
    condition: '((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/delete\'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {4d97b98b-1d4f-4787-a291-c67834d212e7}))'
  }
}
