// PIM requests, as Bicep files write them (issue 31): an eligibility schedule request with a
// condition and its version, and an assignment schedule request that leaves the version out,
// which Azure requires beside a condition. Neither takes a principal type of its own.

param principalId string = 'a11ce000-0000-0000-0000-000000000001'

var reader = '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'

resource eligible 'Microsoft.Authorization/roleEligibilityScheduleRequests@2022-04-01-preview' = {
  name: guid('eligible')
  properties: {
    principalId: principalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', reader)
    requestType: 'AdminAssign'
    scheduleInfo: {
      expiration: {
        type: 'NoExpiration'
      }
    }
    conditionVersion: '2.0'
    // ~ eligible | valid
    condition: '((!(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'logs\'))'
  }
}

resource active 'Microsoft.Authorization/roleAssignmentScheduleRequests@2022-04-01-preview' = {
  name: guid('active')
  properties: {
    principalId: principalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', reader)
    requestType: 'AdminAssign'
    // ~ active | invalid | AZ0030
    condition: '((!(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'audit\'))'
  }
}
