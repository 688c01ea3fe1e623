// The same delegation in Bicep: the AI team's lead may assign only Azure AI User, and only to
// groups and service principals.

param aiTeamLeadId string

var aiUser = '53ca6127-db72-4b80-b1b0-d745d6d5456d'

resource rbacAdministrator 'Microsoft.Authorization/roleDefinitions@2022-04-01' existing = {
  scope: subscription()
  name: 'f58310d9-a9f6-439a-9e8d-f62e7b41a168'
}

resource aiLeadDelegation 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, aiTeamLeadId, 'ai-lead-delegation')
  properties: {
    roleDefinitionId: rbacAdministrator.id
    principalId: aiTeamLeadId
    principalType: 'User'
    conditionVersion: '2.0'
    condition: '''
(
 (
  !(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})
 )
 OR
 (
  @Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {53ca6127-db72-4b80-b1b0-d745d6d5456d}
  AND
  @Request[Microsoft.Authorization/roleAssignments:PrincipalType] ForAnyOfAnyValues:StringEqualsIgnoreCase {'Group', 'ServicePrincipal'}
 )
)
'''
  }
}

resource aiUserForLead 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, aiTeamLeadId, 'ai-user')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', aiUser)
    principalId: aiTeamLeadId
    principalType: 'User'
    condition: '@Environment[isPrivateLink] BoolEquals true'
    conditionVersion: '2.0'
  }
}
