variable "container" {
  type    = string
  default = "logs"

  validation {
    condition     = length(var.container) > 2
    error_message = "Container names have at least three characters."
  }
}

variable "platform_team_id" {
  type = string
}

variable "reader_id" {
  type = string
}
