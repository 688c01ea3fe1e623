// A module's `roleAssignments` built by an expression, as Azure Verified Module users write
// them: a `var` holding the array, `concat()` of arrays, and `map(items, item => {…})` (per item
// where the items are written literally, else its entry read once). Each condition is reported
// where it is written.

param attendees array
param readerGroupId string

var foundryRoleCatalog = {
  'foundry-user': '53ca6127-db72-4b80-b1b0-d745d6d5456d'
}

var readerAssignments = [
  {
    roleDefinitionIdOrName: 'Storage Blob Data Reader'
    principalId: readerGroupId
    principalType: 'Group'
    // ~ account.params.roleAssignments[0] | valid
    condition: '((!(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'logs\'))'
  }
]

// Each attendee may assign Foundry User to service principals; `write` is misspelt (AZ0301).
var attendeeDelegations = map(attendees, a => {
  roleDefinitionIdOrName: 'f58310d9-a9f6-439a-9e8d-f62e7b41a168'
  principalId: a.objectId
  principalType: 'User'
  conditionVersion: '2.0'
  // ~ account.params.roleAssignments | valid | AZ0301
  condition: '((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/wirte\'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${foundryRoleCatalog['foundry-user']}} AND @Request[Microsoft.Authorization/roleAssignments:PrincipalType] StringEqualsIgnoreCase \'ServicePrincipal\')) AND ((!(ActionMatches{\'Microsoft.Authorization/roleAssignments/delete\'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${foundryRoleCatalog['foundry-user']}}))'
})

module account 'br/public:avm/res/cognitive-services/account:0.10.0' = {
  name: 'account'
  params: {
    name: 'foundry'
    kind: 'AIServices'
    roleAssignments: concat(readerAssignments, attendeeDelegations, [
      {
        roleDefinitionIdOrName: 'Storage Blob Data Reader'
        principalId: readerGroupId
        principalType: 'Group'
        // ~ account.params.roleAssignments[1] | invalid | AZ0015
        condition: '@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEqual \'audit\''
      }
    ])
  }
}

// `map()` over items written literally: one entry per item, the lambda's parameters bound. The
// second auditor's container carries a stray quote.
var auditors = [
  {
    objectId: '7c1f0a55-2b1e-4d5a-9a59-6a7c0e3f2b10'
    container: 'audit'
  }
  {
    objectId: '8d2e1b66-3c2f-4e6b-8b6a-7b8d1f4a3c21'
    container: 'logs\''
  }
]

module archive 'br/public:avm/res/storage/storage-account:0.14.0' = {
  name: 'archive'
  params: {
    name: 'starchive'
    roleAssignments: map(auditors, (auditor, i) => {
      roleDefinitionIdOrName: 'Storage Blob Data Reader'
      principalId: auditor.objectId
      principalType: 'User'
      description: 'auditor ${i}'
      // ~ archive.params.roleAssignments[0] | valid
      // ~ archive.params.roleAssignments[1] | invalid | AZ0002 AZ0011 AZ0013 AZ0013
      condition: '((!(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'${auditor.container}\'))'
    })
  }
}
