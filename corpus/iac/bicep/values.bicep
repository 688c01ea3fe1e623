// Values the reader follows through the shared value layer (issue 30): an Azure Verified
// Module's `roleAssignments` held in a `param`'s default (an assumption) and in a member of a
// `var`, properties built by `union()` of objects, a spread of a parameter after the
// condition (read on the assumption that it does not replace it), and a loop over `concat()`.

param roleAssignments array = [
  {
    principalId: 'a11ce000-0000-0000-0000-000000000001'
    roleDefinitionIdOrName: 'Storage Blob Data Reader'
    principalType: 'Group'
    // ~ account.params.roleAssignments[0] | valid |  | param roleAssignments
    condition: '((!(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'logs\'))'
  }
]

param extra object

var config = {
  audit: {
    roleAssignments: [
      {
        principalId: 'a11ce000-0000-0000-0000-000000000002'
        roleDefinitionIdOrName: 'Storage Blob Data Reader'
        principalType: 'Group'
        // ~ audit.params.roleAssignments[0] | invalid | AZ0015
        condition: '((!(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEqual \'audit\'))'
      }
    ]
  }
}

var base = {
  roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
  principalId: 'a11ce000-0000-0000-0000-000000000003'
  principalType: 'User'
}

var containers = [
  'logs'
]

module account 'br/public:avm/res/storage/storage-account:0.9.0' = {
  name: 'account'
  params: {
    name: 'stlogs'
    roleAssignments: roleAssignments
  }
}

module audit 'br/public:avm/res/storage/storage-account:0.9.0' = {
  name: 'audit'
  params: {
    name: 'staudit'
    roleAssignments: config.audit.roleAssignments
  }
}

resource merged 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid('merged')
  properties: union(base, {
    conditionVersion: '2.0'
    // ~ merged | valid
    condition: '((!(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'merged\'))'
  })
}

resource spread 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid('spread')
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
    principalId: 'a11ce000-0000-0000-0000-000000000004'
    principalType: 'User'
    conditionVersion: '2.0'
    // ~ spread | valid |  | ...extra does not replace `condition`
    condition: '((!(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'spread\'))'
    ...extra
  }
}

resource looped 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for (container, i) in concat(containers, [ 'audit' ]): {
  name: guid('looped', container)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
    principalId: 'a11ce000-0000-0000-0000-000000000005'
    principalType: 'User'
    conditionVersion: '2.0'
    // ~ looped[0] | valid
    // ~ looped[1] | valid
    condition: '((!(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'${container}\'))'
  }
}]
