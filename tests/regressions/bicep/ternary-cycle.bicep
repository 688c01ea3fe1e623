var a = b ? 'x' : 'y'
var b = a ? true : false
resource r 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  properties: {
    principalType: 'User'
    condition: a
  }
}
