// Bicep as current modules write it: metadata, imports, user-defined types with decorators on
// their properties, functions, multi-line decorators, newline-separated items. A construct the
// reader does not follow makes only what reads it not checkable, naming the construct and its
// line; the rest of the file is checked. The stand-in here is a lambda with typed parameters,
// which Bicep itself accepts only in `func` (every valid construct tried is followed): the same
// path serves syntax newer than this reader.
metadata name = 'Storage data access'
metadata description = 'Role assignments with conditions for the logs account.'
targetScope = 'resourceGroup'

import { roleAssignmentType } from 'br/public:avm/utl/types/avm-common-types:0.5.1'
import * as shared from './shared.bicep'

@export()
@description('One reader of the account.')
type readerType = {
  @description('Required. The principal to assign.')
  principalId: string

  @description('Optional. The containers it may read.')
  @minLength(1)
  containers: string[]?

  kind: 'User' | 'Group' | 'ServicePrincipal'
}

@discriminator('kind')
type accessType = readerAccess | writerAccess

type readerAccess = {
  kind: 'reader'
}

type writerAccess = {
  kind: 'writer'
  @maxLength(24)
  container: string
}

@description('The name of a container, prefixed.')
func containerName(prefix string, suffix string) string => '${prefix}-${suffix}'

@description('The readers.')
param readers readerType[] = [
  {
    principalId: '1b2c3d4e-5f6a-4b7c-8d9e-0f1a2b3c4d55'
    kind: 'Group'
  }
]

@allowed([
  'logs'
  'audit'
])
param container string = 'logs'

var guards = {
  read: 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'
  write: 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'
}

var suffixOf = (name string, index int) => '${name}-${index}'

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: 'stlogs001'
}

resource readerAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (reader, index) in readers: {
    name: guid(account.id, reader.principalId, 'reader')
    scope: account
    properties: {
      principalId: reader.principalId
      principalType: reader.kind
      roleDefinitionId: subscriptionResourceId(
        'Microsoft.Authorization/roleDefinitions',
        '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
      )
      // ~ readerAccess[0] | valid | | param container; param readers
      condition: '((!(ActionMatches{\'${guards.read}\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'${container}\'))'
      conditionVersion: '2.0'
    }
  }
]

resource archiveReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, 'archive')
  scope: account
  properties: {
    principalId: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e66'
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
    // ~ archiveReader | valid | AZ0404
    condition: '((!(ActionMatches{\'${guards.read}\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'${suffixOf}\'))'
    conditionVersion: '2.0'
  }
}

resource writer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  // ~ writer | unchecked | AZ0402
  name: guid(account.id, 'writer', (seed string) => seed)
  scope: account
  properties: {
    principalId: '3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f77'
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
    condition: '((!(ActionMatches{\'${guards.write}\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'ingest\'))'
    conditionVersion: '2.0'
  }
}

resource auditor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, 'auditor')
  scope: account
  properties: {
    principalId: '4e5f6a7b-8c9d-4e0f-9a1b-2c3d4e5f6a88'
    principalType: 'Group'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
    // ~ auditor | invalid | AZ0201
    condition: '((!(ActionMatches{\'${guards.read}\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:nmae] StringEquals \'audit\'))'
    conditionVersion: '2.0'
  }
}

output readerCount int = length(readers)
