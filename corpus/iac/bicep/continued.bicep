// Constructs of Azure Verified Modules and their callers that the reader once refused
// (issue 30): a ternary continued on the next lines, `#disable-next-line` directives inside
// objects and module bodies, a loop that begins on the line after its `[`, safe dereference
// (`.?`), `??`, and a nested child resource.

@description('Whether the production containers are read.')
param production bool = true

param readerId string

param auditors array = [
  {
    id: 'a11ce000-0000-0000-0000-000000000001'
  }
]

var containers = {
  prod: 'logs'
  test: 'logs-test'
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stlogs'
  location: 'westeurope'
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  #disable-next-line BCP073
  properties: {
    minimumTlsVersion: 'TLS1_2'
  }

  resource blobs 'blobServices' = {
    name: 'default'
  }
}

// The container a ternary picks, continued on the next lines (under the default: `logs`).
resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, readerId, 'reader')
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
    principalId: readerId
    principalType: 'Group'
    // ~ reader | valid |  | param production
    #disable-next-line use-safe-access
    condition: production
      ? '((!(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'${containers.prod}\'))'
      : '((!(ActionMatches{\'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read\'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'${containers.test}\'))'
    conditionVersion: '2.0'
  }
}

// An AVM module's `roleAssignments`, with a directive in the module body and in an entry, a
// loop over a parameter's default, and an entry whose condition is `??` of a member the item
// may lack (the default's item lacks it: `null ?? …`, the literal, whose typo is found).
module vault 'br/public:avm/res/key-vault/vault:0.11.0' = {
  name: 'vault'
  #disable-next-line no-hardcoded-location
  params: {
    name: 'kv-logs'
    roleAssignments: [
      for auditor in auditors: {
        principalId: auditor.id
        principalType: 'User'
        roleDefinitionIdOrName: 'Key Vault Secrets User'
        // ~ vault.params.roleAssignments[0] | invalid | AZ0015 | param auditors
        #disable-next-line prefer-interpolation
        condition: auditor.?condition ?? '((!(ActionMatches{\'Microsoft.KeyVault/vaults/secrets/getSecret/action\'})) OR (@Resource[Microsoft.KeyVault/vaults/secrets:name] StringEqual \'audit\'))'
        conditionVersion: '2.0'
      }
    ]
  }
}
