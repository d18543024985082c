// Contract tests for the github plugin: being written.
