// A module's own repository (the shape of an Azure Verified Module's role assignment module):
// its conditions are what its callers pass, so each is a condition slot, reported once and
// counted as found; what is around it is still checked.
@description('The principal to assign the role to.')
param principalId string

@description('The role definition id or name.')
param roleDefinitionId string

@description('Optional. The condition on the role assignment.')
param condition string?

import { roleAssignmentType } from 'br/public:avm/utl/types/avm-common-types:0.5.1'

@description('Optional. Array of role assignments to create.')
param roleAssignments roleAssignmentType[]?

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, roleDefinitionId)
  properties: {
    principalId: principalId
    roleDefinitionId: roleDefinitionId
    // ~ assignment | slot | AZ0317 AZ0401 AZ0402
    condition: condition
    conditionVersion: !empty(condition) ? '2.0' : null
  }
}

resource perEntry 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (roleAssignment, index) in (roleAssignments ?? []): {
    name: roleAssignment.?name ?? guid(resourceGroup().id, roleAssignment.principalId, roleAssignment.roleDefinitionIdOrName)
    properties: {
      roleDefinitionId: roleAssignment.roleDefinitionIdOrName
      principalId: roleAssignment.principalId
      principalType: roleAssignment.?principalType
      // ~ perEntry | slot | AZ0401 AZ0402
      condition: roleAssignment.?condition
      conditionVersion: !empty(roleAssignment.?condition) ? (roleAssignment.?conditionVersion ?? '2.0') : null
    }
  }
]
