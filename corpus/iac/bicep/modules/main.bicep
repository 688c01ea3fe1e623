// Calls of a local module that assigns a role with a condition: each condition is checked at
// the argument that passes it, against the role the module assigns (its GUID passed in too),
// per instance of a loop over the call.
var containers = [
  'logs'
  'audit'
]

module logsReader './roles/assignment.bicep' = {
  name: 'logs-reader'
  params: {
    principalId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c11'
    roleDefinitionId: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
    principalType: 'Group'
    // ~ logsReader.assignment | invalid | AZ0201
    condition: '((!(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:nmae] StringEquals \'logs\'))'
  }
}

module writers './roles/assignment.bicep' = [
  for container in containers: {
    name: 'writer-${container}'
    params: {
      principalId: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d22'
      roleDefinitionId: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
      // ~ writers[0].assignment | valid | AZ0312
      // ~ writers[1].assignment | valid | AZ0312
      condition: '((!(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'${container}\'))'
    }
  }
]
